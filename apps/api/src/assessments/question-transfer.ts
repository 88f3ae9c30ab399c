/**
 * The question bank as a spreadsheet (CSV or XLSX, same columns), for import,
 * export and the downloadable template. One row per question; the correct
 * options are given as letters ("A" or "A,C"). Parsing never throws on bad
 * content: it returns per-row problems so the import can refuse the whole file.
 */
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { QUESTION_TYPES, QuestionType } from '@balai/domain/assessment';
import { toCsv } from '../common/csv';

export const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export const HEADER = [
  'type',
  'question',
  'points',
  'correct',
  'image_url',
  ...LETTERS.map((l) => `option_${l.toLowerCase()}`),
];
export const MAX_IMPORT_ROWS = 500;

export interface TransferQuestion {
  type: QuestionType;
  text: string;
  points: number;
  imageUrl?: string;
  options: Array<{ text: string; correct: boolean }>;
}

const TYPE_ALIASES: Record<string, QuestionType> = {
  single: 'single',
  pilihan_ganda: 'single',
  multiple: 'multiple',
  pilihan_ganda_kompleks: 'multiple',
  truefalse: 'truefalse',
  true_false: 'truefalse',
  benar_salah: 'truefalse',
};

export const TEMPLATE_ROWS: TransferQuestion[] = [
  {
    type: 'single',
    text: 'Apa fungsi utama label pada kemasan produk pangan?',
    points: 1,
    options: [
      { text: 'Memberi informasi produk kepada konsumen', correct: true },
      { text: 'Menambah berat kemasan', correct: false },
      { text: 'Menggantikan izin edar', correct: false },
    ],
  },
  {
    type: 'multiple',
    text: 'Manakah yang wajib dicantumkan pada label? (pilih semua yang benar)',
    points: 2,
    options: [
      { text: 'Nama produk', correct: true },
      { text: 'Tanggal kedaluwarsa', correct: true },
      { text: 'Nama karyawan', correct: false },
    ],
  },
  {
    type: 'truefalse',
    text: 'Nomor PIRT diperlukan untuk produk pangan olahan rumah tangga.',
    points: 1,
    options: [
      { text: 'Benar', correct: true },
      { text: 'Salah', correct: false },
    ],
  },
];

function toRow(q: TransferQuestion): Array<string | number> {
  const correct = q.options
    .map((o, i) => (o.correct ? LETTERS[i] : null))
    .filter(Boolean)
    .join(',');
  return [q.type, q.text, q.points, correct, q.imageUrl ?? '', ...LETTERS.map((_, i) => q.options[i]?.text ?? '')];
}

export function questionsToCsv(questions: TransferQuestion[]): string {
  return toCsv(HEADER, questions.map(toRow));
}

export async function questionsToXlsx(questions: TransferQuestion[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Balai';
  const sheet = workbook.addWorksheet('Soal');
  sheet.addRow(HEADER);
  sheet.getRow(1).font = { bold: true };
  for (const q of questions) sheet.addRow(toRow(q));
  sheet.columns.forEach((c, i) => (c.width = i === 1 ? 60 : i >= 5 ? 30 : 12));
  const help = workbook.addWorksheet('Petunjuk');
  help.addRows([
    [
      'type',
      'single (pilihan ganda), multiple (pilihan ganda kompleks, semua-atau-tidak), truefalse (benar/salah: option_a Benar, option_b Salah)',
    ],
    ['question', 'Teks soal (3-2000 karakter)'],
    ['points', 'Bobot nilai 1-100 (kosong: 1)'],
    ['correct', 'Huruf pilihan yang benar, mis. A atau A,C'],
    ['image_url', 'Opsional: URL https gambar soal'],
    ['option_a ... option_f', 'Pilihan jawaban (minimal 2)'],
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface ParsedImport {
  questions: TransferQuestion[];
  /** "baris 3" -> problems; empty when the file can be imported. */
  problems: Record<string, string[]>;
}

/** Reads a CSV or XLSX file into rows of cell text, header first. */
export async function readSheet(buffer: Buffer, format: 'csv' | 'xlsx'): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  let sheet: ExcelJS.Worksheet | undefined;
  if (format === 'xlsx') {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    sheet = workbook.worksheets[0];
  } else {
    const text = buffer.toString('utf8').replace(/^\uFEFF/, '');
    sheet = await workbook.csv.read(Readable.from([text]), {
      parserOptions: {
        delimiter: text.split(/\r?\n/)[0]!.includes(';') && !text.split(/\r?\n/)[0]!.includes(',') ? ';' : ',',
      },
    });
  }
  const rows: string[][] = [];
  sheet?.eachRow({ includeEmpty: false }, (row) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    rows.push(values.map((v) => cellText(v)));
  });
  return rows;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const v = value as { text?: unknown; richText?: Array<{ text: string }>; result?: unknown; hyperlink?: string };
    if (v.richText)
      return v.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if (typeof v.text === 'string') return v.text.trim();
    if (typeof v.result === 'string' || typeof v.result === 'number' || typeof v.result === 'boolean')
      return String(v.result).trim();
    if (v instanceof Date) return v.toISOString();
    return ''; // an error or other cell object: no text to import
  }
  // Undo the formula-injection guard our own export adds.
  return String(value as string | number | boolean | bigint)
    .trim()
    .replace(/^'(?=[=+\-@])/, '');
}

export function parseQuestions(rows: string[][]): ParsedImport {
  const problems: Record<string, string[]> = {};
  const questions: TransferQuestion[] = [];
  const [header, ...body] = rows;
  const col = new Map((header ?? []).map((h, i) => [h.trim().toLowerCase(), i]));
  const missing = ['type', 'question', 'correct', 'option_a', 'option_b'].filter((h) => !col.has(h));
  if (missing.length)
    return { questions, problems: { header: [`Kolom wajib tidak ada / missing columns: ${missing.join(', ')}`] } };
  if (body.length > MAX_IMPORT_ROWS)
    return {
      questions,
      problems: { file: [`Paling banyak ${MAX_IMPORT_ROWS} soal / at most ${MAX_IMPORT_ROWS} questions`] },
    };
  const get = (row: string[], name: string) => (col.has(name) ? (row[col.get(name)!] ?? '').trim() : '');
  body.forEach((row, index) => {
    if (row.every((c) => !c.trim())) return;
    const errs: string[] = [];
    const type = TYPE_ALIASES[get(row, 'type').toLowerCase()];
    if (!type)
      errs.push(
        `type harus salah satu dari ${QUESTION_TYPES.join(', ')} / type must be one of ${QUESTION_TYPES.join(', ')}`,
      );
    const text = get(row, 'question');
    if (text.length < 3 || text.length > 2000) errs.push('question: 3-2000 karakter / characters');
    const pointsText = get(row, 'points');
    const points = pointsText === '' ? 1 : Number(pointsText);
    if (!Number.isInteger(points) || points < 1 || points > 100)
      errs.push('points: bilangan bulat 1-100 / integer 1-100');
    const imageUrl = get(row, 'image_url');
    if (imageUrl && !/^https:\/\/\S+$/.test(imageUrl)) errs.push('image_url: harus URL https / must be an https URL');
    const texts = LETTERS.map((l) => get(row, `option_${l.toLowerCase()}`));
    const lastFilled = texts.reduce((last, t, i) => (t ? i : last), -1);
    if (texts.slice(0, lastFilled + 1).some((t) => !t))
      errs.push('Pilihan harus berurutan tanpa kolom kosong / options must be contiguous');
    const optionTexts = texts.slice(0, lastFilled + 1);
    if (optionTexts.some((t) => t.length > 1000)) errs.push('Pilihan paling panjang 1000 karakter / option too long');
    const letters = get(row, 'correct')
      .toUpperCase()
      .split(/[\s,;]+/)
      .filter(Boolean);
    const bad = letters.filter((l) => !LETTERS.slice(0, optionTexts.length).includes(l as (typeof LETTERS)[number]));
    if (!letters.length || bad.length)
      errs.push('correct: huruf pilihan yang ada, mis. A atau A,C / letters of existing options');
    if (errs.length) {
      problems[`baris ${index + 2}`] = errs;
      return;
    }
    questions.push({
      type: type!,
      text,
      points,
      imageUrl: imageUrl || undefined,
      options: optionTexts.map((t, i) => ({ text: t, correct: letters.includes(LETTERS[i]!) })),
    });
  });
  return { questions, problems };
}
