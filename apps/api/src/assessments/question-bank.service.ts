/** The question bank of a course: edited by admins and the course's trainers only. */
import { HttpStatus, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { AppException, AuthUser } from '@balai/common';
import { questionProblems } from '@balai/domain/assessment';
import { CourseAccess } from '../courses/course-access';
import { notFound } from '../common/errors';
import type {
  CreateQuestionDto,
  FileFormat,
  ImportResultDto,
  QuestionResponseDto,
  UpdateQuestionDto,
} from './dto/question.dto';
import {
  parseQuestions,
  questionsToCsv,
  questionsToXlsx,
  readSheet,
  TEMPLATE_ROWS,
  TransferQuestion,
} from './question-transfer';
import { QUESTION_IMAGE_MAX_BYTES, QuestionImageStore, sniffImage, StoredQuestionImage } from './question-image.store';
import { QuestionInput, QuestionRecord, QuestionRepository } from './question.repository';
import type { Readable } from 'node:stream';

const QUESTION_NOT_FOUND = { id: 'Soal tidak ditemukan.', en: 'Question not found.' };
const IMAGE_NOT_FOUND = { id: 'Gambar tidak ditemukan.', en: 'Image not found.' };
/** The link a question stores for an uploaded image (served by GET /api/question-images/:id). */
export const questionImageUrl = (id: Types.ObjectId) => `/api/question-images/${id.toHexString()}`;
const newOptionId = () => randomBytes(6).toString('base64url');

export interface UploadedSheet {
  originalname: string;
  mimetype: string;
  buffer: Buffer;
}

export function toQuestionDto(q: QuestionRecord): QuestionResponseDto {
  return {
    id: q._id.toHexString(),
    courseId: q.courseId.toHexString(),
    type: q.type,
    text: q.text,
    imageUrl: q.imageUrl,
    points: q.points,
    position: q.position,
    options: q.options.map((o) => ({ id: o.id, text: o.text, correct: o.correct })),
  };
}

function invalid(problems: string[] | Record<string, string[]>): AppException {
  const details = Array.isArray(problems) ? { question: problems } : problems;
  return new AppException(
    HttpStatus.BAD_REQUEST,
    'QUESTION_INVALID',
    { id: 'Soal belum benar.', en: 'The question is not valid.' },
    details,
  );
}

@Injectable()
export class QuestionBankService {
  constructor(
    private readonly access: CourseAccess,
    private readonly questions: QuestionRepository,
    private readonly images: QuestionImageStore,
  ) {}

  /** Stores an uploaded PNG, JPEG or WebP (checked by its bytes) and links it to the question. */
  async setImage(
    actor: AuthUser,
    courseId: string,
    id: string,
    file: UploadedSheet | undefined,
  ): Promise<QuestionResponseDto> {
    const course = await this.access.forStaff(actor, courseId);
    const existing = await this.questions.findInCourse(course._id, id);
    if (!existing) throw notFound(QUESTION_NOT_FOUND);
    if (!file?.buffer?.length) {
      throw new AppException(HttpStatus.BAD_REQUEST, 'FILE_REQUIRED', {
        id: 'Pilih gambar PNG, JPEG atau WebP (field "file").',
        en: 'Choose a PNG, JPEG or WebP image (field "file").',
      });
    }
    if (file.buffer.length > QUESTION_IMAGE_MAX_BYTES) {
      throw new AppException(HttpStatus.PAYLOAD_TOO_LARGE, 'PAYLOAD_TOO_LARGE', {
        id: 'Gambar terlalu besar (maksimal 2 MB).',
        en: 'The image is too large (2 MB at most).',
      });
    }
    const kind = sniffImage(file.buffer);
    if (!kind) {
      throw new AppException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'UNSUPPORTED_FILE_TYPE', {
        id: 'Gambar harus PNG, JPEG atau WebP.',
        en: 'The image must be PNG, JPEG or WebP.',
      });
    }
    const fileId = await this.images.put(course._id, kind, file.buffer);
    const updated = await this.questions.setImage(course._id, existing._id, questionImageUrl(fileId));
    if (!updated) throw notFound(QUESTION_NOT_FOUND);
    return toQuestionDto(updated);
  }

  async clearImage(actor: AuthUser, courseId: string, id: string): Promise<QuestionResponseDto> {
    const course = await this.access.forStaff(actor, courseId);
    const updated = await this.questions.setImage(course._id, new Types.ObjectId(id), null);
    if (!updated) throw notFound(QUESTION_NOT_FOUND);
    return toQuestionDto(updated);
  }

  /** An uploaded question image: admin, the course's trainers and its enrolled participants. */
  async openImage(actor: AuthUser, imageId: string): Promise<{ image: StoredQuestionImage; stream: Readable }> {
    const image = await this.images.find(new Types.ObjectId(imageId));
    if (!image) throw notFound(IMAGE_NOT_FOUND);
    await this.access.forMember(actor, image.courseId.toHexString(), true);
    return { image, stream: this.images.open(image.id) };
  }

  async list(actor: AuthUser, courseId: string): Promise<QuestionResponseDto[]> {
    const course = await this.access.forStaff(actor, courseId);
    return (await this.questions.byCourse(course._id)).map(toQuestionDto);
  }

  async create(actor: AuthUser, courseId: string, dto: CreateQuestionDto): Promise<QuestionResponseDto> {
    const course = await this.access.forStaff(actor, courseId);
    const input = this.input(dto, [], await this.questions.count(course._id));
    return toQuestionDto(await this.questions.create(course._id, input));
  }

  async update(actor: AuthUser, courseId: string, id: string, dto: UpdateQuestionDto): Promise<QuestionResponseDto> {
    const course = await this.access.forStaff(actor, courseId);
    const existing = await this.questions.findInCourse(course._id, id);
    if (!existing) throw notFound(QUESTION_NOT_FOUND);
    const merged = this.input(
      {
        type: dto.type ?? existing.type,
        text: dto.text ?? existing.text,
        imageUrl: dto.imageUrl ?? existing.imageUrl,
        points: dto.points ?? existing.points,
        options: dto.options ?? existing.options,
        position: dto.position ?? existing.position,
      },
      existing.options.map((o) => o.id),
      existing.position,
    );
    const updated = await this.questions.update(course._id, existing._id, merged);
    if (!updated) throw notFound(QUESTION_NOT_FOUND);
    return toQuestionDto(updated);
  }

  async remove(actor: AuthUser, courseId: string, id: string): Promise<void> {
    const course = await this.access.forStaff(actor, courseId);
    if (!(await this.questions.delete(course._id, new Types.ObjectId(id)))) throw notFound(QUESTION_NOT_FOUND);
  }

  async export(
    actor: AuthUser,
    courseId: string,
    format: FileFormat,
  ): Promise<{ body: string | Buffer; filename: string }> {
    const course = await this.access.forStaff(actor, courseId);
    const rows: TransferQuestion[] = (await this.questions.byCourse(course._id)).map((q) => ({
      type: q.type,
      text: q.text,
      points: q.points,
      imageUrl: q.imageUrl,
      options: q.options,
    }));
    const name = `soal-${course.code.toLowerCase()}`;
    return format === 'xlsx'
      ? { body: await questionsToXlsx(rows), filename: `${name}.xlsx` }
      : { body: questionsToCsv(rows), filename: `${name}.csv` };
  }

  async template(format: FileFormat): Promise<{ body: string | Buffer; filename: string }> {
    return format === 'xlsx'
      ? { body: await questionsToXlsx(TEMPLATE_ROWS), filename: 'template-soal.xlsx' }
      : { body: questionsToCsv(TEMPLATE_ROWS), filename: 'template-soal.csv' };
  }

  /** All or nothing: one bad row refuses the file, with every row's problems listed. */
  async import(actor: AuthUser, courseId: string, file: UploadedSheet | undefined): Promise<ImportResultDto> {
    const course = await this.access.forStaff(actor, courseId);
    if (!file?.buffer?.length) {
      throw new AppException(HttpStatus.BAD_REQUEST, 'FILE_REQUIRED', {
        id: 'Pilih berkas CSV atau XLSX.',
        en: 'Choose a CSV or XLSX file.',
      });
    }
    const isZip = file.buffer.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    const looksCsv = /\.csv$/i.test(file.originalname) || /csv|text\/plain/.test(file.mimetype);
    if (!isZip && !looksCsv) {
      throw new AppException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'UNSUPPORTED_FILE_TYPE', {
        id: 'Berkas harus CSV atau XLSX.',
        en: 'The file must be CSV or XLSX.',
      });
    }
    let rows: string[][];
    try {
      rows = await readSheet(file.buffer, isZip ? 'xlsx' : 'csv');
    } catch {
      throw new AppException(HttpStatus.BAD_REQUEST, 'FILE_UNREADABLE', {
        id: 'Berkas tidak dapat dibaca.',
        en: 'The file cannot be read.',
      });
    }
    const parsed = parseQuestions(rows);
    parsed.questions.forEach((q, i) => {
      const problems = questionProblems(q);
      if (problems.length) parsed.problems[`soal ${i + 1}`] = problems;
    });
    if (Object.keys(parsed.problems).length) throw invalid(parsed.problems);
    if (!parsed.questions.length) throw invalid({ file: ['Tidak ada soal / no questions'] });
    const start = await this.questions.count(course._id);
    await this.questions.insertMany(
      course._id,
      parsed.questions.map((q, i) => ({
        ...q,
        position: start + i,
        options: q.options.map((o) => ({ ...o, id: newOptionId() })),
      })),
    );
    return { imported: parsed.questions.length, total: start + parsed.questions.length };
  }

  private input(dto: CreateQuestionDto, knownOptionIds: string[], defaultPosition: number): QuestionInput {
    const options = dto.options.map((o) => ({
      id: o.id && knownOptionIds.includes(o.id) ? o.id : newOptionId(),
      text: o.text,
      correct: o.correct,
    }));
    const points = dto.points ?? 1;
    const problems = questionProblems({ type: dto.type, points, options });
    if (problems.length) throw invalid(problems);
    return {
      type: dto.type,
      text: dto.text,
      imageUrl: dto.imageUrl,
      points,
      options,
      position: dto.position ?? defaultPosition,
    };
  }
}
