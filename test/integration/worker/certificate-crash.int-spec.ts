/**
 * Reliability of certificate issuing with the worker as a separate process:
 * SIGKILL mid-batch, a Redis restart mid-batch, and SIGTERM (graceful). Each
 * ends with exactly one certificate per eligible participant.
 */
import { Queue } from 'bullmq';
import { Types } from 'mongoose';
import { CERTIFICATE_JOBS, CERTIFICATE_PDF_BUCKET, certificateJobId, IssueCertificateJob, QUEUES } from '@balai/queue';
import { addParticipants, connectDb, createFinishedCourse, Db, SeededCourse } from '../../support/db-factories';
import { PrivateRedis } from '../../support/redis-server';
import { SmtpSink } from '../../support/smtp-sink';
import { sleep, waitFor } from '../../support/wait';
import { WorkerProcess } from '../../support/worker-process';

// Generous: on a shared 2-core machine a 200-certificate batch can take minutes; alone it takes about one.
jest.setTimeout(600_000);

const BATCH = 200;

describe('certificate batches survive crashes', () => {
  const smtp = new SmtpSink();
  let db: Db;
  let smtpUrl: string;

  beforeAll(async () => {
    smtpUrl = await smtp.start();
    db = await connectDb();
  });

  afterAll(async () => {
    await smtp.stop();
    await db.close();
  });

  async function seed(count: number): Promise<{ course: SeededCourse; userIds: string[] }> {
    const course = await createFinishedCourse(db, { sessionCount: 1 });
    const userIds = await addParticipants(db, course, Array.from({ length: count }, () => ({ attendancePercent: 100 })));
    return { course, userIds };
  }

  function queueFor(redisUrl: string, prefix: string): Queue<IssueCertificateJob> {
    const url = new URL(redisUrl);
    return new Queue(QUEUES.certificates, { connection: { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null }, prefix });
  }

  async function enqueue(queue: Queue<IssueCertificateJob>, courseId: string, userIds: string[]): Promise<void> {
    await queue.addBulk(
      userIds.map((userId) => ({
        name: CERTIFICATE_JOBS.issue,
        data: { courseId, userId, requestedBy: 'test' },
        opts: { jobId: certificateJobId(courseId, userId), attempts: 5, backoff: { type: 'exponential', delay: 500 }, removeOnFail: false },
      })),
    );
  }

  const issued = (courseId: string) => db.certificates.countDocuments({ courseId: new Types.ObjectId(courseId) });

  /** All certificates saved and no issue job left to run (completed jobs may be trimmed, so count certificates). */
  async function settled(queue: Queue<IssueCertificateJob>, courseId: string, count: number): Promise<boolean> {
    if ((await issued(courseId)) < count) return false;
    // Only issue jobs: the auto-issue scheduler always keeps its next scan delayed.
    const pending = await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized'], 0, -1);
    return !pending.some((job) => job?.name === CERTIFICATE_JOBS.issue);
  }

  async function expectExactlyOnePerParticipant(course: SeededCourse, userIds: string[]): Promise<void> {
    const certs = await db.certificates.find({ courseId: new Types.ObjectId(course.id) }, { userId: 1, number: 1, pdfFileId: 1 }).lean();
    expect(certs).toHaveLength(userIds.length);
    expect(new Set(certs.map((c) => c.userId.toString()))).toEqual(new Set(userIds));
    expect(new Set(certs.map((c) => c.number)).size).toBe(userIds.length);
    // Every PDF an interrupted attempt left behind was removed once its certificate was saved.
    const files = await db.connection.db!.collection(`${CERTIFICATE_PDF_BUCKET}.files`).countDocuments({ 'metadata.courseId': course.id });
    expect(files).toBe(userIds.length);
  }

  const workerEnv = (extra: Record<string, string> = {}) => ({
    SMTP_URL: smtpUrl,
    WORKER_CONCURRENCY: '6',
    WORKER_LOCK_MS: '5000',
    ...extra,
  });

  it(`SIGKILL in the middle of a ${BATCH}-certificate batch, then a restart: exactly ${BATCH}`, async () => {
    const { course, userIds } = await seed(BATCH);
    const queue = queueFor(process.env.REDIS_URL!, process.env.REDIS_PREFIX!);
    const worker = new WorkerProcess(workerEnv());
    try {
      await enqueue(queue, course.id, userIds);
      await worker.start();
      await waitFor(async () => (await issued(course.id)) >= BATCH / 4, 300_000, 'a quarter of the batch');
      await worker.stop('SIGKILL');
      const atKill = await issued(course.id);
      expect(atKill).toBeLessThan(BATCH);
      // Enqueuing the whole batch again (an impatient admin) must not matter either.
      await enqueue(queue, course.id, userIds);
      await worker.start();
      await waitFor(() => settled(queue, course.id, BATCH), 400_000, 'the whole batch after the restart');
      await expectExactlyOnePerParticipant(course, userIds);
      expect((await queue.getJobCounts('failed')).failed).toBe(0);
    } finally {
      await worker.stop('SIGKILL');
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
  });

  it(`a Redis restart in the middle of a ${BATCH}-certificate batch: exactly ${BATCH}`, async () => {
    const redis = await PrivateRedis.start();
    const prefix = `${process.env.REDIS_PREFIX}_r`;
    const { course, userIds } = await seed(BATCH);
    const queue = queueFor(redis.url, prefix);
    queue.on('error', () => undefined);
    const worker = new WorkerProcess(workerEnv({ REDIS_URL: redis.url, REDIS_PREFIX: prefix }));
    try {
      await enqueue(queue, course.id, userIds);
      await worker.start();
      await waitFor(async () => (await issued(course.id)) >= BATCH / 4, 300_000, 'a quarter of the batch');
      await redis.stop();
      const atStop = await issued(course.id);
      expect(atStop).toBeLessThan(BATCH);
      await sleep(1500);
      await redis.restart();
      await waitFor(() => settled(queue, course.id, BATCH), 400_000, 'the whole batch after the Redis restart');
      expect(worker.exitCode).toBeNull();
      await expectExactlyOnePerParticipant(course, userIds);
    } finally {
      await worker.stop('SIGKILL');
      await queue.close().catch(() => undefined);
      await redis.destroy();
    }
  });

  it('SIGTERM lets active jobs finish (or hands them back) and exits cleanly', async () => {
    const count = 40;
    const { course, userIds } = await seed(count);
    const queue = queueFor(process.env.REDIS_URL!, process.env.REDIS_PREFIX!);
    const worker = new WorkerProcess(workerEnv());
    try {
      await enqueue(queue, course.id, userIds);
      await worker.start();
      await waitFor(async () => (await queue.getJobCounts('active')).active > 0 && (await issued(course.id)) >= 5, 60_000, 'jobs in progress');
      await worker.stop('SIGTERM', 60_000);
      // Nest re-raises the signal after its shutdown hooks ran; SIGKILL would mean our 60 s fallback fired.
      expect(worker.exitSignal === 'SIGTERM' || worker.exitCode === 0).toBe(true);
      expect(worker.log).toContain('waiting for active jobs');
      const counts = await queue.getJobCounts('active', 'completed', 'failed');
      // Nothing left half-done: any active job would have been finished or handed back.
      expect(counts.active).toBe(0);
      expect(counts.failed).toBe(0);
      // Every job that completed has its certificate: none was cut off half-way.
      const issueJobs = (await queue.getJobs(['completed'])).filter((j) => j.name === CERTIFICATE_JOBS.issue);
      expect(await issued(course.id)).toBe(issueJobs.length);
      await worker.start();
      await waitFor(() => settled(queue, course.id, count), 300_000, 'the rest after restart');
      await expectExactlyOnePerParticipant(course, userIds);
    } finally {
      await worker.stop('SIGKILL');
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
  });
});
