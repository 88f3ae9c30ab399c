/** Question bank import and export as CSV and XLSX (exceljs), with the downloadable template (issue 11). */
import ExcelJS from 'exceljs';
import request from 'supertest';
import { RunningApp, startApiApp } from '../../support/api-app';
import { createCourse, createUser, TestUser } from '../../support/factories';
import { createBank } from './assessment-support';

jest.setTimeout(120_000);

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('question bank import/export', () => {
  let sut: RunningApp;
  let trainer: TestUser;
  let participant: TestUser;

  beforeAll(async () => {
    sut = await startApiApp();
    trainer = await createUser(sut.app, 'trainer');
    participant = await createUser(sut.app, 'participant');
  });
  afterAll(() => sut.close());

  const course = async () => (await createCourse(sut.app, { trainerIds: [trainer.id] })).id;
  const bankOf = async (courseId: string) =>
    (await request(sut.url).get(`/api/courses/${courseId}/questions`).set(trainer.auth).expect(200)).body as Array<{
      type: string;
      text: string;
      points: number;
      options: Array<{ text: string; correct: boolean }>;
    }>;
  const shape = (qs: Awaited<ReturnType<typeof bankOf>>) =>
    qs.map((q) => ({
      type: q.type,
      text: q.text,
      points: q.points,
      options: q.options.map((o) => ({ text: o.text, correct: o.correct })),
    }));

  it('the templates (CSV and XLSX) import as they are: one question of each type', async () => {
    const csv = await request(sut.url)
      .get('/api/assessments/question-template?format=csv')
      .set(trainer.auth)
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toBe(
      '\uFEFFtype,question,points,correct,image_url,option_a,option_b,option_c,option_d,option_e,option_f',
    );
    const xlsx = await request(sut.url)
      .get('/api/assessments/question-template?format=xlsx')
      .set(trainer.auth)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const target = await course();
    await request(sut.url)
      .post(`/api/courses/${target}/questions/import`)
      .set(trainer.auth)
      .attach('file', Buffer.from(csv.text), 'template.csv')
      .expect(201, { imported: 3, total: 3 });
    expect(
      (
        await request(sut.url)
          .post(`/api/courses/${target}/questions/import`)
          .set(trainer.auth)
          .attach('file', xlsx.body as Buffer, 'template.xlsx')
          .expect(201)
      ).body,
    ).toEqual({ imported: 3, total: 6 });
    const bank = shape(await bankOf(target));
    expect(bank.map((q) => q.type)).toEqual(['single', 'multiple', 'truefalse', 'single', 'multiple', 'truefalse']);
    expect(bank.slice(0, 3)).toEqual(bank.slice(3));
  });

  it('export then import round-trips the bank in both formats', async () => {
    const source = await course();
    await createBank(sut, trainer, source);
    const original = shape(await bankOf(source));
    for (const format of ['csv', 'xlsx'] as const) {
      const file = await request(sut.url)
        .get(`/api/courses/${source}/questions/export?format=${format}`)
        .set(trainer.auth)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(file.headers['content-disposition']).toContain(`.${format}`);
      const target = await course();
      await request(sut.url)
        .post(`/api/courses/${target}/questions/import`)
        .set(trainer.auth)
        .attach('file', file.body as Buffer, `soal.${format}`)
        .expect(201);
      expect(shape(await bankOf(target))).toEqual(original);
    }
  });

  it('refuses a file with bad rows as a whole, naming each row, and imports nothing', async () => {
    const target = await course();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Soal');
    sheet.addRow(['type', 'question', 'points', 'correct', 'image_url', 'option_a', 'option_b', 'option_c']);
    sheet.addRow(['single', 'Soal yang benar', 1, 'A', '', 'Ya', 'Tidak', '']);
    sheet.addRow(['essay', 'Jenis tidak dikenal', 1, 'A', '', 'Ya', 'Tidak', '']);
    sheet.addRow(['single', 'Dua jawaban benar', 1, 'A,B', '', 'Ya', 'Tidak', '']);
    sheet.addRow(['multiple', 'Huruf tidak ada', 1, 'D', '', 'Ya', 'Tidak', 'Mungkin']);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await request(sut.url)
      .post(`/api/courses/${target}/questions/import`)
      .set(trainer.auth)
      .attach('file', file, 'soal.xlsx');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'QUESTION_INVALID' });
    expect(Object.keys(res.body.details)).toEqual(expect.arrayContaining(['baris 3', 'baris 5']));
    expect(JSON.stringify(res.body.details)).toContain('NEEDS_EXACTLY_ONE_CORRECT_OPTION');
    expect(await bankOf(target)).toHaveLength(0);
  });

  it('answers bad files and other callers with 4xx in the error shape', async () => {
    const target = await course();
    const cases: Array<[request.Test, number]> = [
      [request(sut.url).post(`/api/courses/${target}/questions/import`).set(trainer.auth).field('x', 'y'), 400],
      [
        request(sut.url)
          .post(`/api/courses/${target}/questions/import`)
          .set(trainer.auth)
          .attach('file', Buffer.from('MZ\x90\x00binary'), 'virus.exe'),
        415,
      ],
      [
        request(sut.url)
          .post(`/api/courses/${target}/questions/import`)
          .set(trainer.auth)
          .attach('file', Buffer.from('PK\x03\x04not really a zip'), 'rusak.xlsx'),
        400,
      ],
      [
        request(sut.url)
          .post(`/api/courses/${target}/questions/import`)
          .set(trainer.auth)
          .attach('file', Buffer.from('a,b\r\n1,2\r\n'), 'kolom.csv'),
        400,
      ],
      [
        request(sut.url)
          .post(`/api/courses/${target}/questions/import`)
          .set(trainer.auth)
          .attach('file', Buffer.alloc(3 * 1024 * 1024, 0x41), 'besar.csv'),
        413,
      ],
      [
        request(sut.url)
          .post(`/api/courses/${target}/questions/import`)
          .set(participant.auth)
          .attach('file', Buffer.from('type\r\n'), 'a.csv'),
        403,
      ],
      [request(sut.url).get(`/api/courses/${target}/questions/export?format=pdf`).set(trainer.auth), 400],
      [request(sut.url).get(`/api/courses/${target}/questions/export`).set(participant.auth), 403],
      [request(sut.url).get('/api/assessments/question-template').set(participant.auth), 403],
    ];
    for (const [req, status] of cases) {
      const res = await req;
      expect({ status: res.status, body: res.body.statusCode }).toEqual({ status, body: status });
    }
  });
});
