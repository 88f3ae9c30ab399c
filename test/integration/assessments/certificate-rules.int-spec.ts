/**
 * Certificate rules of issue 11 with the real API, worker, FerretDB and Redis:
 * attendance threshold, optional post-test minimum and optional evaluation, in
 * every combination; what the participant sees is missing; the admin's batch
 * enqueues only the eligible; automatic issuance fires when a late evaluation
 * meets the last condition.
 */
import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Types } from 'mongoose';
import request from 'supertest';
import { AttendanceInterval, Certificate, Course, CourseSession } from '@balai/database';
import { DEFAULT_EVALUATION_ITEMS } from '@balai/domain/assessment';
import { QUEUES } from '@balai/queue';
import { RunningApp, startApiApp } from '../../support/api-app';
import { createCourse, createUser, enrolDirect, model, TestUser } from '../../support/factories';
import { SmtpSink } from '../../support/smtp-sink';
import { waitFor } from '../../support/wait';
import { BankQuestion, createBank, takeTest } from './assessment-support';

jest.setTimeout(180_000);

const H = 3600_000;
type Facts = { attendance: number; post: 'none' | 'low' | 'high'; evaluation: boolean };
type Rules = { minPostTestPercent: number | null; requireEvaluation: boolean };

/** What the rules say is missing, written out independently of the code under test. */
function expectedReasons(rules: Rules, f: Facts): string[] {
  const out: string[] = [];
  if (f.attendance < 80) out.push('BELOW_THRESHOLD');
  if (rules.minPostTestPercent !== null) {
    if (f.post === 'none') out.push('POST_TEST_MISSING');
    else if (f.post === 'low') out.push('POST_TEST_BELOW_MINIMUM');
  }
  if (rules.requireEvaluation && !f.evaluation) out.push('EVALUATION_MISSING');
  return out;
}

const FACTS: Facts[] = [];
for (const attendance of [100, 50])
  for (const post of ['none', 'low', 'high'] as const)
    for (const evaluation of [false, true]) FACTS.push({ attendance, post, evaluation });
const RULES: Rules[] = [
  { minPostTestPercent: null, requireEvaluation: false },
  { minPostTestPercent: 70, requireEvaluation: false },
  { minPostTestPercent: null, requireEvaluation: true },
  { minPostTestPercent: 70, requireEvaluation: true },
];

describe('certificate rules with post-test and evaluation', () => {
  const smtp = new SmtpSink();
  let sut: RunningApp;
  let worker: INestApplication;
  let admin: TestUser;
  let trainer: TestUser;

  beforeAll(async () => {
    process.env.SMTP_URL = await smtp.start();
    sut = await startApiApp();
    const { Test } = await import('@nestjs/testing');
    const { WorkerModule } = await import('../../../apps/worker/src/worker.module');
    worker = (await Test.createTestingModule({ imports: [WorkerModule] }).compile()).createNestApplication({
      logger: false,
    });
    await worker.init();
    admin = await createUser(sut.app, 'admin');
    trainer = await createUser(sut.app, 'trainer');
  });
  afterAll(async () => {
    for (const q of [QUEUES.certificates, QUEUES.notifications])
      await worker
        ?.get<Queue>(getQueueToken(q))
        .obliterate({ force: true })
        .catch(() => undefined);
    await worker?.close();
    await sut?.close();
    await smtp.stop();
  });

  /** A course whose one two-hour session ended an hour ago (post-test open), with a three-question bank. */
  async function endedCourse(rules: Rules, autoIssue = false) {
    const course = await createCourse(sut.app, { trainerIds: [trainer.id] });
    await model(sut.app, Course.name).updateOne(
      { _id: new Types.ObjectId(course.id) },
      { $set: { status: 'completed', 'certificate.autoIssue': autoIssue } },
    );
    const startsAt = new Date(Date.now() - 3 * H);
    const session = await model(sut.app, CourseSession.name).create({
      courseId: new Types.ObjectId(course.id),
      title: 'Sesi 1',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * H),
      status: 'ended',
    });
    const bank = await createBank(sut, trainer, course.id);
    await request(sut.url)
      .patch(`/api/courses/${course.id}/assessment-settings`)
      .set(trainer.auth)
      .send(rules)
      .expect(200);
    return { courseId: course.id, sessionId: session._id as Types.ObjectId, startsAt, bank };
  }

  async function participant(
    c: { courseId: string; sessionId: Types.ObjectId; startsAt: Date; bank: BankQuestion[] },
    f: Facts,
  ): Promise<TestUser> {
    const p = await createUser(sut.app, 'participant');
    await enrolDirect(sut.app, c.courseId, p.id);
    await model(sut.app, AttendanceInterval.name).create({
      sessionId: c.sessionId,
      courseId: new Types.ObjectId(c.courseId),
      userId: new Types.ObjectId(p.id),
      joinEventId: `join-${p.id}`,
      joinedAt: c.startsAt,
      leftAt: new Date(c.startsAt.getTime() + (2 * H * f.attendance) / 100),
    });
    // high: all three right (100 %); low: only the 1-point single-answer question right (25 %).
    if (f.post === 'high') expect((await takeTest(sut, p, c.courseId, 'post', c.bank)).percent).toBe(100);
    if (f.post === 'low')
      expect(
        (
          await takeTest(
            sut,
            p,
            c.courseId,
            'post',
            c.bank,
            c.bank.filter((q) => q.type !== 'single').map((q) => q.id),
          )
        ).percent,
      ).toBe(25);
    if (f.evaluation) {
      await request(sut.url)
        .post(`/api/courses/${c.courseId}/evaluation/responses`)
        .set(p.auth)
        .send({ ratings: DEFAULT_EVALUATION_ITEMS.map((i) => ({ itemId: i.id, value: 4 })) })
        .expect(201);
    }
    return p;
  }

  it.each(
    RULES.map(
      (r) =>
        [
          `post minimum ${r.minPostTestPercent ?? 'off'}, evaluation ${r.requireEvaluation ? 'required' : 'optional'}`,
          r,
        ] as const,
    ),
  )(
    'every combination of facts under %s: what each participant lacks, and the admin batch enqueues only the eligible',
    async (_label, rules) => {
      const c = await endedCourse(rules);
      const people: Array<{ p: TestUser; f: Facts }> = [];
      for (const f of FACTS) people.push({ p: await participant(c, f), f });
      for (const { p, f } of people) {
        const mine = (
          await request(sut.url).get(`/api/courses/${c.courseId}/certificate-requirements/me`).set(p.auth).expect(200)
        ).body;
        const expected = expectedReasons(rules, f);
        expect({ f, reasons: mine.reasons }).toEqual({ f, reasons: expected });
        expect(mine.eligible).toBe(expected.length === 0);
        expect(mine).toMatchObject({
          minPostTestPercent: rules.minPostTestPercent,
          requireEvaluation: rules.requireEvaluation,
          evaluationSubmitted: f.evaluation,
        });
      }
      const issued = (
        await request(sut.url).post(`/api/courses/${c.courseId}/certificates/issue`).set(admin.auth).expect(202)
      ).body;
      const eligible = people.filter(({ f }) => expectedReasons(rules, f).length === 0);
      expect(issued.enqueued).toBe(eligible.length);
      const notEligible = new Map<string, string>(
        issued.notEligible.map((n: { userId: string; reason: string }) => [n.userId, n.reason]),
      );
      for (const { p, f } of people) expect(notEligible.get(p.id)).toBe(expectedReasons(rules, f)[0]);
      // The admin report lists each participant's reasons.
      const report = (
        await request(sut.url).get(`/api/courses/${c.courseId}/assessment-report`).set(admin.auth).expect(200)
      ).body;
      for (const { p, f } of people)
        expect(report.participants.find((r: { userId: string }) => r.userId === p.id).certificateReasons).toEqual(
          expectedReasons(rules, f),
        );
      // The worker issues exactly the eligible ones (it checks eligibility again before issuing).
      const certs = () =>
        model<Certificate>(sut.app, Certificate.name)
          .find({ courseId: new Types.ObjectId(c.courseId) })
          .lean();
      await waitFor(async () => (await certs()).length === eligible.length, 90_000, 'certificates of the eligible');
      expect(new Set((await certs()).map((x) => String(x.userId)))).toEqual(new Set(eligible.map(({ p }) => p.id)));
    },
  );

  it('automatic issuance fires when a late evaluation meets the last condition, and not before', async () => {
    const c = await endedCourse({ minPostTestPercent: 70, requireEvaluation: true }, true);
    const late = await participant(c, { attendance: 100, post: 'high', evaluation: false });
    const before = (
      await request(sut.url).get(`/api/courses/${c.courseId}/certificate-requirements/me`).set(late.auth).expect(200)
    ).body;
    expect(before).toMatchObject({ eligible: false, reasons: ['EVALUATION_MISSING'], certified: false });
    const queue = worker.get<Queue>(getQueueToken(QUEUES.certificates));
    const scan = await queue.add('auto-issue-scan', {});
    await waitFor(async () => (await scan.getState()) === 'completed', 30_000, 'scan');
    expect(await model(sut.app, Certificate.name).countDocuments({ courseId: new Types.ObjectId(c.courseId) })).toBe(0);

    await request(sut.url)
      .post(`/api/courses/${c.courseId}/evaluation/responses`)
      .set(late.auth)
      .send({
        ratings: DEFAULT_EVALUATION_ITEMS.map((i) => ({ itemId: i.id, value: 5 })),
        comment: 'Terlambat mengisi, maaf.',
      })
      .expect(201);
    await waitFor(
      async () =>
        (await model(sut.app, Certificate.name).countDocuments({
          courseId: new Types.ObjectId(c.courseId),
          userId: new Types.ObjectId(late.id),
        })) === 1,
      60_000,
      'the certificate',
    );
    const after = (
      await request(sut.url).get(`/api/courses/${c.courseId}/certificate-requirements/me`).set(late.auth).expect(200)
    ).body;
    expect(after).toMatchObject({ eligible: true, reasons: [], certified: true });
  });

  it('a late post-test (the last condition) triggers automatic issuance too; a failed one does not', async () => {
    const c = await endedCourse({ minPostTestPercent: 70, requireEvaluation: false }, true);
    const passer = await participant(c, { attendance: 100, post: 'none', evaluation: false });
    const failer = await participant(c, { attendance: 100, post: 'low', evaluation: false });
    expect(await model(sut.app, Certificate.name).countDocuments({ userId: new Types.ObjectId(failer.id) })).toBe(0);
    await takeTest(sut, passer, c.courseId, 'post', c.bank);
    await waitFor(
      async () =>
        (await model(sut.app, Certificate.name).countDocuments({ courseId: new Types.ObjectId(c.courseId) })) === 1,
      60_000,
      'the certificate',
    );
    expect(await model(sut.app, Certificate.name).countDocuments({ userId: new Types.ObjectId(failer.id) })).toBe(0);
  });
});
