import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { AttemptQuestion, TestAnswer, testAnswerId, TestAttempt, testAttemptId } from '@balai/database';
import type { TestKind } from '@balai/domain/assessment';

export type AttemptRecord = TestAttempt;
export type AnswerRecord = TestAnswer;

/** Highest attempt number ever looked up (the settings' own maximum). */
export const MAX_ATTEMPT_NUMBER = 10;

/** Attempts kept in memory for the save path (a few KB each). */
const CACHE_SIZE = 5_000;
/** Answer inserts are gathered for at most this long, or this many, before one insertMany. */
const BATCH_WAIT_MS = 4;
const BATCH_MAX = 200;

type NewAnswer = Pick<AnswerRecord, '_id' | 'attemptId' | 'courseId' | 'questionId' | 'optionIds' | 'savedAt'>;

/** The per-document errors of an unordered insertMany (null when the whole command failed). */
function bulkWriteErrors(
  error: unknown,
): Array<{ index: number; code?: number; errmsg?: string; message?: string }> | null {
  const e = error as { writeErrors?: unknown; result?: { getWriteErrors?: () => unknown[] } };
  const raw = Array.isArray(e?.writeErrors) ? e.writeErrors : e?.writeErrors ? [e.writeErrors] : null;
  if (!raw) return null;
  return raw.map((w) => {
    const x = w as {
      index: number;
      code?: number;
      errmsg?: string;
      err?: { index: number; code?: number; errmsg?: string };
    };
    const inner = x.err ?? x;
    return {
      index: inner.index ?? x.index,
      code: inner.code ?? x.code,
      errmsg: inner.errmsg ?? x.errmsg,
      message: inner.errmsg ?? x.errmsg,
    };
  });
}

/** MongoDB says 11000; FerretDB 1.x says code 1 "UNIQUE constraint failed" on updates. */
export function isDuplicate(error: unknown): boolean {
  const e = error as { code?: number; message?: string };
  return (
    e?.code === 11000 || e?.code === 11001 || (e?.code === 1 && /UNIQUE constraint failed/i.test(String(e?.message)))
  );
}

/**
 * Attempts and their per-answer saves. Every read on the hot path is by a
 * derived primary key: the attempts of a participant are ids 1..10, the answers
 * of an attempt are one id per question.
 */
@Injectable()
export class AttemptRepository {
  /**
   * What the save path needs of an attempt (owner, deadline, its frozen
   * questions) never changes after the attempt is created, so it is read once
   * per process and kept, in insertion order, the oldest dropped first. The one
   * field that does change, `submittedAt`, is never trusted from here alone: a
   * save asks AttemptGate's closed marker, and submit/close read the database.
   */
  private readonly cache = new Map<string, AttemptRecord>();

  constructor(
    @InjectModel(TestAttempt.name) private readonly attempts: Model<TestAttempt>,
    @InjectModel(TestAnswer.name) private readonly answers: Model<TestAnswer>,
  ) {}

  /** Always from the database (current `submittedAt`, score). */
  async findById(id: string | Types.ObjectId): Promise<AttemptRecord | null> {
    const row = await this.attempts.findById(id).lean<AttemptRecord>().exec();
    if (row) this.remember(row);
    return row;
  }

  /** The attempt as created (from memory when this process has seen it); `submittedAt` may be stale. */
  async cached(id: string): Promise<AttemptRecord | null> {
    return this.cache.get(id) ?? (await this.findById(id));
  }

  /** Drops a remembered attempt: for tools that edit attempts in the database directly (tests moving a deadline). */
  forget(id: string): void {
    this.cache.delete(id);
  }

  private remember(row: AttemptRecord): void {
    const key = row._id.toHexString();
    this.cache.delete(key);
    this.cache.set(key, row);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
  }

  /**
   * The participant's attempts at one test, by number. Numbers are contiguous
   * from 1, so this reads 1, 2, ... until one is missing: each read is a
   * primary-key lookup (FerretDB pushes `_id` equality down, not `$in`).
   */
  async mine(courseId: Types.ObjectId, kind: TestKind, userId: string): Promise<AttemptRecord[]> {
    const rows: AttemptRecord[] = [];
    for (let n = 1; n <= MAX_ATTEMPT_NUMBER; n += 1) {
      const row = await this.attempts
        .findById(testAttemptId(courseId, kind, userId, n))
        .lean<AttemptRecord>()
        .exec();
      if (!row) break;
      rows.push(row);
    }
    return rows;
  }

  /** Every attempt at a course's tests (reports). */
  byCourse(courseId: Types.ObjectId, kind?: TestKind): Promise<AttemptRecord[]> {
    return this.attempts
      .find(kind ? { courseId, kind } : { courseId })
      .lean<AttemptRecord[]>()
      .exec();
  }

  /** Inserts attempt `number`; null when it already exists (a concurrent start). */
  async insert(attempt: Omit<AttemptRecord, 'createdAt' | 'updatedAt'>): Promise<AttemptRecord | null> {
    try {
      const row = (await this.attempts.create(attempt)).toObject();
      this.remember(row);
      return row;
    } catch (error) {
      if (isDuplicate(error)) return null;
      throw error;
    }
  }

  async close(
    id: Types.ObjectId,
    set: Pick<AttemptRecord, 'submittedAt' | 'closedBy' | 'score' | 'maxScore' | 'percent'>,
  ): Promise<void> {
    await this.attempts.updateOne({ _id: id, submittedAt: { $exists: false } }, { $set: set }).exec();
    const known = this.cache.get(id.toHexString());
    if (known && !known.submittedAt) this.remember({ ...known, ...set });
  }

  /**
   * Saves (or replaces) one answer. Idempotent: the id is (attempt, question).
   * Most saves are a question's first answer, so this inserts and falls back
   * to an update when the primary key says it exists (no read before the
   * write). Inserts arriving together (many participants answering at once)
   * are sent as one unordered insertMany: one round trip and, on FerretDB,
   * one transaction instead of one per answer. The caller waits for its own
   * insert's outcome, so a 200 still means "stored".
   */
  async saveAnswer(attempt: AttemptRecord, questionId: string, optionIds: string[], savedAt: Date): Promise<void> {
    const _id = testAnswerId(attempt._id, questionId);
    const doc = { _id, attemptId: attempt._id, courseId: attempt.courseId, questionId, optionIds, savedAt };
    if (await this.insertBatched(doc)) return;
    // Changed their mind (or a retry): replace only with a newer answer, so a late retry never undoes a later one.
    await this.answers.updateOne({ _id, savedAt: { $lte: savedAt } }, { $set: { optionIds, savedAt } }).exec();
  }

  private pending: Array<{ doc: NewAnswer; done: (inserted: boolean) => void; fail: (e: unknown) => void }> = [];
  private flushTimer: NodeJS.Timeout | null = null;

  /** True when inserted, false when an answer with that id exists. */
  private insertBatched(doc: NewAnswer): Promise<boolean> {
    return new Promise<boolean>((done, fail) => {
      this.pending.push({ doc, done, fail });
      if (this.pending.length >= BATCH_MAX) void this.flush();
      else this.flushTimer ??= setTimeout(() => void this.flush(), BATCH_WAIT_MS);
    });
  }

  private async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    try {
      await this.answers.collection.insertMany(
        batch.map((b) => b.doc),
        { ordered: false },
      );
      for (const b of batch) b.done(true);
    } catch (error) {
      const writeErrors = bulkWriteErrors(error);
      if (!writeErrors) {
        for (const b of batch) b.fail(error);
        return;
      }
      const failed = new Map(writeErrors.map((w) => [w.index, w]));
      batch.forEach((b, i) => {
        const w = failed.get(i);
        if (!w) b.done(true);
        else if (isDuplicate(w)) b.done(false);
        else b.fail(new Error(`answer insert failed: ${w.errmsg ?? w.code}`));
      });
    }
  }

  async answersOf(
    attempt: Pick<AttemptRecord, '_id'> & { questions: Pick<AttemptQuestion, 'id'>[] },
  ): Promise<Map<string, AnswerRecord>> {
    // One primary-key lookup per question, in parallel (an `$in` would scan the collection on FerretDB).
    const rows = await Promise.all(
      attempt.questions.map((q) => this.answers.findById(testAnswerId(attempt._id, q.id)).lean<AnswerRecord>().exec()),
    );
    return new Map(rows.filter((r): r is AnswerRecord => r !== null).map((r) => [r.questionId, r]));
  }

  /** Answers of many attempts (reports). */
  answersOfAttempts(attemptIds: Types.ObjectId[]): Promise<AnswerRecord[]> {
    return this.answers
      .find({ attemptId: { $in: attemptIds } })
      .lean<AnswerRecord[]>()
      .exec();
  }

  async deleteByCourse(courseId: Types.ObjectId): Promise<void> {
    for (const [key, row] of this.cache) if (row.courseId.equals(courseId)) this.cache.delete(key);
    await this.answers.deleteMany({ courseId }).exec();
    await this.attempts.deleteMany({ courseId }).exec();
  }
}
