/**
 * Taking a test: start or resume an attempt, save each answer as it is given,
 * submit once. The server's clock is the only clock: an attempt's deadline is
 * fixed when it starts (time limit cut by the test's close), answers after it
 * are refused and a late submit is scored with what was saved before it.
 * Correct answers leave the server only once the test has closed.
 */
import { HttpStatus, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { AppException, AuthUser } from '@balai/common';
import { testAttemptId } from '@balai/database';
import { attemptDeadline, scoreAttempt, seededShuffle, TestKind } from '@balai/domain/assessment';
import { toJakarta } from '../common/time';
import { forbidden, notFound } from '../common/errors';
import { AssessmentCourse, AssessmentCourses } from './assessment-course';
import { AttemptGate, attemptSubmitted } from './attempt-gate';
import { AnswerRecord, AttemptRecord, AttemptRepository } from './attempt.repository';
import { CertificateRequirements } from './certificate-requirements.service';
import type { AttemptViewDto, SavedAnswerDto, TestStatusDto } from './dto/test.dto';
import { QuestionRepository } from './question.repository';

const ATTEMPT_NOT_FOUND = { id: 'Percobaan tes tidak ditemukan.', en: 'Test attempt not found.' };
const conflict = (code: string, id: string, en: string) => new AppException(HttpStatus.CONFLICT, code, { id, en });
const bad = (code: string, id: string, en: string) => new AppException(HttpStatus.BAD_REQUEST, code, { id, en });

@Injectable()
export class TestsService {
  constructor(
    private readonly courses: AssessmentCourses,
    private readonly questions: QuestionRepository,
    private readonly attempts: AttemptRepository,
    private readonly gate: AttemptGate,
    private readonly requirements: CertificateRequirements,
  ) {}

  /** Both tests of a course as the caller sees them (participants: with their own attempts). */
  async status(actor: AuthUser, courseId: string, now = new Date()): Promise<TestStatusDto[]> {
    const ctx = await this.courses.forMember(actor, courseId);
    const questionCount = await this.questions.count(ctx.courseId);
    const out: TestStatusDto[] = [];
    for (const kind of ['pre', 'post'] as const) {
      const settings = ctx.settings[kind];
      const window = ctx.window(kind);
      const mine =
        actor.role === 'participant'
          ? await this.closeExpired(await this.attempts.mine(ctx.courseId, kind, actor.id), now)
          : [];
      const submitted = mine.filter((a) => a.submittedAt && typeof a.percent === 'number');
      out.push({
        kind,
        enabled: settings.enabled,
        phase: ctx.phase(kind, now),
        opensAt: toJakarta(window.opensAt),
        closesAt: toJakarta(window.closesAt),
        timeLimitMinutes: settings.timeLimitMinutes,
        maxAttempts: settings.maxAttempts,
        questionCount,
        attempts: mine.map((a) => ({
          id: a._id.toHexString(),
          number: a.number,
          startedAt: toJakarta(a.startedAt)!,
          submittedAt: toJakarta(a.submittedAt) ?? undefined,
          percent: a.percent,
          status: a.submittedAt ? 'submitted' : 'in_progress',
        })),
        attemptsLeft: Math.max(0, settings.maxAttempts - mine.length),
        bestPercent: submitted.length ? Math.max(...submitted.map((a) => a.percent!)) : undefined,
      });
    }
    return out;
  }

  /** Resumes the running attempt, or starts the next one. `created` tells which. */
  async start(
    actor: AuthUser,
    courseId: string,
    kind: TestKind,
    now = new Date(),
  ): Promise<{ created: boolean; view: AttemptViewDto }> {
    const ctx = await this.courses.forMember(actor, courseId);
    if (actor.role !== 'participant') throw forbidden();
    const settings = ctx.settings[kind];
    if (!settings.enabled)
      throw conflict(
        'TEST_DISABLED',
        'Tes ini tidak digunakan pada kegiatan ini.',
        'This test is not used in this course.',
      );
    const phase = ctx.phase(kind, now);
    if (phase === 'not_open') throw conflict('TEST_NOT_OPEN', 'Tes belum dibuka.', 'The test is not open yet.');
    if (phase === 'closed') throw conflict('TEST_CLOSED', 'Tes sudah ditutup.', 'The test has closed.');
    const mine = await this.closeExpired(await this.attempts.mine(ctx.courseId, kind, actor.id), now);
    const running = mine.find((a) => !a.submittedAt);
    if (running) return { created: false, view: await this.view(ctx, running, now) };
    if (mine.length >= settings.maxAttempts)
      throw conflict('NO_ATTEMPTS_LEFT', 'Kesempatan mengerjakan tes sudah habis.', 'No attempts left.');
    const bank = await this.questions.byCourse(ctx.courseId);
    if (!bank.length) throw conflict('NO_QUESTIONS', 'Tes belum memiliki soal.', 'The test has no questions yet.');
    const number = (mine.at(-1)?.number ?? 0) + 1;
    const id = testAttemptId(ctx.courseId, kind, actor.id, number);
    const seed = `${id.toHexString()}:${randomBytes(4).toString('hex')}`;
    const questions = seededShuffle(bank, seed).map((q) => ({
      id: q._id.toHexString(),
      type: q.type,
      text: q.text,
      imageUrl: q.imageUrl,
      points: q.points,
      options: seededShuffle(q.options, `${seed}:${q._id.toHexString()}`).map((o) => ({
        id: o.id,
        text: o.text,
        correct: o.correct,
      })),
    }));
    const inserted = await this.attempts.insert({
      _id: id,
      courseId: ctx.courseId,
      kind,
      userId: new Types.ObjectId(actor.id),
      number,
      startedAt: now,
      deadlineAt: attemptDeadline(now, settings.timeLimitMinutes, ctx.window(kind)),
      questions,
    });
    // A concurrent start (double tap, two tabs) inserted the same attempt first: resume that one.
    const attempt = inserted ?? (await this.attempts.findById(id));
    if (!attempt) throw notFound(ATTEMPT_NOT_FOUND);
    // A new attempt has no answers yet: no need to look them up.
    return { created: inserted !== null, view: await this.view(ctx, attempt, now, inserted ? new Map() : undefined) };
  }

  async get(actor: AuthUser, attemptId: string, now = new Date()): Promise<AttemptViewDto> {
    const { ctx, attempt } = await this.load(actor, attemptId);
    const [current] = await this.closeExpired([attempt], now);
    return this.view(ctx, current!, now);
  }

  /**
   * Saves one answer as it is given. Hot path: the attempt comes from memory
   * (its questions and deadline never change), the closed check and the lock
   * are one Redis step, and the answer is one write by its derived id.
   */
  async saveAnswer(
    actor: AuthUser,
    attemptId: string,
    questionId: string,
    optionIds: string[],
    now = new Date(),
  ): Promise<SavedAnswerDto> {
    const attempt = await this.attempts.cached(attemptId);
    if (!attempt || attempt.userId.toHexString() !== actor.id) throw notFound(ATTEMPT_NOT_FOUND);
    if (attempt.submittedAt) throw attemptSubmitted();
    if (now.getTime() >= attempt.deadlineAt.getTime()) {
      await this.closeExpired([attempt], now);
      throw conflict('TIME_UP', 'Waktu mengerjakan tes sudah habis.', 'Time is up for this attempt.');
    }
    const question = attempt.questions.find((q) => q.id === questionId);
    if (!question)
      throw bad('UNKNOWN_QUESTION', 'Soal tidak ada dalam tes ini.', 'The question is not part of this attempt.');
    const known = new Set(question.options.map((o) => o.id));
    if (optionIds.some((id) => !known.has(id)))
      throw bad('UNKNOWN_OPTION', 'Pilihan jawaban tidak dikenal.', 'Unknown answer option.');
    if (question.type !== 'multiple' && optionIds.length > 1)
      throw bad('ONE_OPTION_ONLY', 'Soal ini hanya memiliki satu jawaban.', 'This question takes one answer.');
    // Under the attempt's lock, refused once the attempt is closed: a 200 here is always in the score.
    await this.gate.save(attemptId, () => this.attempts.saveAnswer(attempt, questionId, optionIds, now));
    return { questionId, optionIds, savedAt: toJakarta(now)!, remainingSeconds: remaining(attempt, now) };
  }

  /** Submits once: a second submit (double tap, retry after a lost response) returns the same result. */
  async submit(actor: AuthUser, attemptId: string, now = new Date()): Promise<AttemptViewDto> {
    const { ctx, attempt } = await this.load(actor, attemptId);
    if (attempt.userId.toHexString() !== actor.id) throw forbidden();
    let closedNow = false;
    let saved: Map<string, AnswerRecord> | undefined;
    const closed = await this.gate.close(attemptId, keepClosedMs(attempt, now), async () => {
      const current = await this.attempts.findById(attempt._id);
      if (!current || current.submittedAt) return current ?? attempt;
      closedNow = true;
      const done = await this.finalize(current, now);
      saved = done.saved;
      return done.record;
    });
    if (closedNow && closed.kind === 'post') await this.requirements.recheck(ctx.course, actor.id);
    // The answers just scored are the ones to show (no save can follow a close).
    return this.view(ctx, closed, now, saved);
  }

  private async load(actor: AuthUser, attemptId: string): Promise<{ ctx: AssessmentCourse; attempt: AttemptRecord }> {
    const attempt = await this.attempts.findById(attemptId);
    if (!attempt) throw notFound(ATTEMPT_NOT_FOUND);
    const owner = attempt.userId.toHexString() === actor.id;
    const course = await this.courses.load(attempt.courseId.toHexString());
    const staff = this.courses.isStaff(actor, course);
    // Participants learn nothing about other people's attempts, not even that they exist.
    if (!owner && !staff) throw notFound(ATTEMPT_NOT_FOUND);
    return { ctx: await this.courses.build(course, staff), attempt };
  }

  /** Attempts whose deadline passed unsubmitted are closed with what was saved in time. */
  async closeExpired(attempts: AttemptRecord[], now: Date): Promise<AttemptRecord[]> {
    const out: AttemptRecord[] = [];
    for (const a of attempts) {
      if (a.submittedAt || a.deadlineAt.getTime() > now.getTime()) out.push(a);
      else
        out.push(
          await this.gate.close(a._id.toHexString(), keepClosedMs(a, now), async () => {
            const current = await this.attempts.findById(a._id);
            if (!current || current.submittedAt) return current ?? a;
            const closed = (await this.finalize(current, now)).record;
            if (closed.kind === 'post')
              await this.requirements.recheck(
                await this.courses.load(closed.courseId.toHexString()),
                closed.userId.toHexString(),
              );
            return closed;
          }),
        );
    }
    return out;
  }

  /** Scores and closes (under the attempt's lock); returns the closed record and the answers it scored. */
  private async finalize(
    attempt: AttemptRecord,
    now: Date,
  ): Promise<{ record: AttemptRecord; saved: Map<string, AnswerRecord> }> {
    const late = now.getTime() >= attempt.deadlineAt.getTime();
    const saved = await this.attempts.answersOf(attempt);
    const inTime = new Map<string, string[]>();
    for (const [qid, a] of saved) if (a.savedAt.getTime() <= attempt.deadlineAt.getTime()) inTime.set(qid, a.optionIds);
    const result = scoreAttempt(attempt.questions, inTime);
    const set = {
      submittedAt: late ? attempt.deadlineAt : now,
      closedBy: late ? ('timeout' as const) : ('submit' as const),
      score: result.score,
      maxScore: result.maxScore,
      percent: result.percent,
    };
    await this.attempts.close(attempt._id, set);
    // Under the lock and checked unsubmitted just before: the stored record is this one.
    return { record: { ...attempt, ...set }, saved };
  }

  private async view(
    ctx: AssessmentCourse,
    attempt: AttemptRecord,
    now: Date,
    known?: Map<string, AnswerRecord>,
  ): Promise<AttemptViewDto> {
    const saved = known ?? (await this.attempts.answersOf(attempt));
    const reveal = ctx.staff || ctx.phase(attempt.kind, now) === 'closed';
    const selected = (qid: string): string[] => (saved.get(qid) as AnswerRecord | undefined)?.optionIds ?? [];
    const answered = attempt.questions.map((q) => selected(q.id).length > 0);
    const firstOpen = answered.indexOf(false);
    const score = reveal
      ? scoreAttempt(attempt.questions, new Map(attempt.questions.map((q) => [q.id, selected(q.id)])))
      : null;
    return {
      id: attempt._id.toHexString(),
      courseId: attempt.courseId.toHexString(),
      kind: attempt.kind,
      number: attempt.number,
      status: attempt.submittedAt ? 'submitted' : 'in_progress',
      startedAt: toJakarta(attempt.startedAt)!,
      deadlineAt: toJakarta(attempt.deadlineAt)!,
      serverNow: toJakarta(now)!,
      remainingSeconds: attempt.submittedAt ? 0 : remaining(attempt, now),
      currentIndex: firstOpen === -1 ? Math.max(0, attempt.questions.length - 1) : firstOpen,
      answeredCount: answered.filter(Boolean).length,
      questions: attempt.questions.map((q) => ({
        id: q.id,
        type: q.type,
        text: q.text,
        imageUrl: q.imageUrl,
        points: q.points,
        options: q.options.map((o) =>
          reveal ? { id: o.id, text: o.text, correct: o.correct } : { id: o.id, text: o.text },
        ),
        selected: selected(q.id),
        ...(score ? { correct: score.correct[q.id] } : {}),
      })),
      submittedAt: toJakarta(attempt.submittedAt) ?? undefined,
      closedBy: attempt.closedBy,
      score: attempt.score,
      maxScore: attempt.maxScore,
      percent: attempt.percent,
      reviewAvailable: reveal,
    };
  }
}

/** How long the closed marker must outlive `now`: until past the deadline, after which the clock refuses saves. */
function keepClosedMs(attempt: AttemptRecord, now: Date): number {
  return attempt.deadlineAt.getTime() - now.getTime() + 60_000;
}

function remaining(attempt: AttemptRecord, now: Date): number {
  return Math.max(0, Math.floor((attempt.deadlineAt.getTime() - now.getTime()) / 1000));
}
