/** Automatic issuing after a course's last session, through the real worker app and stores. */
import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { Types } from 'mongoose';
import { CERTIFICATE_JOBS, QUEUES } from '@balai/queue';
import { addParticipants, connectDb, createFinishedCourse, Db } from '../../support/db-factories';
import { SmtpSink } from '../../support/smtp-sink';
import { waitFor } from '../../support/wait';

jest.setTimeout(90_000);

describe('automatic certificate issuing', () => {
  const smtp = new SmtpSink();
  let db: Db;
  let worker: INestApplication;
  let queue: Queue;

  beforeAll(async () => {
    process.env.SMTP_URL = await smtp.start();
    db = await connectDb();
    const { Test } = await import('@nestjs/testing');
    const { WorkerModule } = await import('../../../apps/worker/src/worker.module');
    const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    worker = moduleRef.createNestApplication({ logger: false });
    await worker.init();
    queue = worker.get<Queue>(getQueueToken(QUEUES.certificates));
  });

  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await worker
      ?.get<Queue>(getQueueToken(QUEUES.notifications))
      .obliterate({ force: true })
      .catch(() => undefined);
    await worker?.close();
    await smtp.stop();
    await db?.close();
  });

  async function scan(): Promise<{ courses: number; enqueued: number }> {
    const job: Job = await queue.add(CERTIFICATE_JOBS.autoIssueScan, {});
    await waitFor(async () => (await job.getState()) === 'completed', 30_000, 'scan');
    return (await queue.getJob(job.id!))!.returnvalue as { courses: number; enqueued: number };
  }

  it('issues for eligible participants once the last session has ended, once, and not for courses still running', async () => {
    const ended = await createFinishedCourse(db, { autoIssue: true, endedHoursAgo: 1 });
    const [yes, no] = await addParticipants(db, ended, [{ attendancePercent: 90 }, { attendancePercent: 40 }]);
    const running = await createFinishedCourse(db, { autoIssue: true, endedHoursAgo: -5 });
    await addParticipants(db, running, [{ attendancePercent: 0 }]);
    const manual = await createFinishedCourse(db, { autoIssue: false, endedHoursAgo: 1 });
    await addParticipants(db, manual, [{ attendancePercent: 100 }]);

    expect(await scan()).toEqual({ courses: 1, enqueued: 1 });
    const certificates = () =>
      db.certificates.find({ courseId: { $in: [ended, running, manual].map((c) => new Types.ObjectId(c.id)) } }).lean();
    await waitFor(async () => (await certificates()).length === 1, 30_000, 'the certificate');
    expect((await certificates())[0]!.userId.toString()).toBe(yes);
    expect(await db.certificates.countDocuments({ userId: new Types.ObjectId(no) })).toBe(0);

    expect(await scan()).toEqual({ courses: 0, enqueued: 0 });
    expect(await certificates()).toHaveLength(1);
  });

  it('registers one repeating schedule for the scan', async () => {
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toContain('certificates-auto-issue');
  });
});
