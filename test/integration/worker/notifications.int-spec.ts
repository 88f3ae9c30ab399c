/**
 * Notification processors in the real worker app against FerretDB, Redis and a
 * real SMTP server: reminders (delayed, skipped when stale/cancelled, never to
 * people who left), session notices, waitlist promotion, password reset,
 * retries that do not resend to people already served, and one delivery per
 * notice and person when attempts overlap or a sender died mid-delivery.
 */
import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { Types } from 'mongoose';
import { RedisClient } from '@balai/common';
import { NOTIFICATION_JOBS, NotificationProducer, reminderJobId } from '@balai/queue';
import { MailTransport } from '../../../apps/worker/src/mail/mail.transport';
import { Notifier } from '../../../apps/worker/src/notifications/notifier.service';
import { addParticipants, connectDb, Db } from '../../support/db-factories';
import { mailText, messageId, SmtpSink } from '../../support/smtp-sink';
import { waitFor } from '../../support/wait';

jest.setTimeout(90_000);

describe('notifications', () => {
  const smtp = new SmtpSink(/^bounce-/);
  let db: Db;
  let worker: INestApplication;
  let queue: Queue;
  let courseId: string;

  beforeAll(async () => {
    process.env.SMTP_URL = await smtp.start();
    process.env.PUBLIC_BASE_URL = 'https://balai.test';
    process.env.MAIL_RATE_PER_SECOND = '10';
    db = await connectDb();
    const { Test } = await import('@nestjs/testing');
    const { WorkerModule } = await import('../../../apps/worker/src/worker.module');
    const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    worker = moduleRef.createNestApplication({ logger: false });
    await worker.init();
    queue = worker.get<Queue>(getQueueToken('notifications'));
    const course = await db.courses.create({
      code: 'NTF-1',
      title: 'Sosialisasi Sertifikasi Halal',
      category: 'pangan',
      type: 'sosialisasi',
      status: 'published',
      capacity: 10,
      registrationOpensAt: new Date(Date.now() - 86_400_000),
      registrationClosesAt: new Date(Date.now() + 86_400_000),
      lessonHours: 4,
    });
    courseId = course._id.toString();
  });

  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await worker?.close();
    await smtp.stop();
    await db?.close();
  });

  async function session(startsInMinutes: number, status = 'scheduled'): Promise<string> {
    const startsAt = new Date(Date.now() + startsInMinutes * 60_000);
    const s = await db.sessions.create({
      courseId: new Types.ObjectId(courseId),
      title: `Sesi ${startsInMinutes}`,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3600_000),
      status,
    });
    return s._id.toString();
  }

  async function people(specs: Array<{ enrollment?: 'enrolled' | 'cancelled' | 'waitlisted'; email?: string }>) {
    const fakeCourse = { id: courseId, code: 'NTF-1', title: '', sessions: [] };
    const ids = await addParticipants(
      db,
      fakeCourse,
      specs.map((s) => ({ attendancePercent: 0, ...s })),
    );
    const users = await db.users.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }).lean();
    return ids.map((id) => users.find((u) => u._id.toString() === id)!.email);
  }

  async function finished(job: Job): Promise<Job> {
    await waitFor(async () => ['completed', 'failed'].includes(await job.getState()), 30_000, `job ${job.id}`);
    return (await queue.getJob(job.id!))!;
  }

  beforeEach(async () => {
    // Each test sees only its own course's enrolments.
    await db.enrollments.deleteMany({ courseId: new Types.ObjectId(courseId) });
  });

  it('sends a delayed reminder to everyone enrolled, and to nobody who left or waits', async () => {
    const [enrolled1, enrolled2, left, waiting] = await people([
      {},
      {},
      { enrollment: 'cancelled' },
      { enrollment: 'waitlisted' },
    ]);
    const sessionId = await session(50);
    const delay = 1500;
    const enqueuedAt = Date.now();
    const job = await queue.add(
      NOTIFICATION_JOBS.sessionReminder,
      { sessionId, leadMinutes: 60 },
      { jobId: reminderJobId(sessionId, 60), delay },
    );
    const done = await finished(job);
    expect(done.returnvalue).toMatchObject({ sent: 2 });
    for (const email of [enrolled1!, enrolled2!]) {
      expect(smtp.to(email)).toHaveLength(1);
      // Not before its delay: the arrival time says so without sleeping a guessed fraction of it.
      expect(smtp.to(email)[0]!.receivedAt).toBeGreaterThanOrEqual(enqueuedAt + delay);
      expect(mailText(smtp.to(email)[0]!.raw)).toContain('Pengingat');
    }
    expect(smtp.to(left!)).toHaveLength(0);
    expect(smtp.to(waiting!)).toHaveLength(0);
  });

  it('skips reminders for cancelled sessions and for sessions moved later', async () => {
    const [email] = await people([{}]);
    const cancelled = await session(30, 'cancelled');
    const moved = await session(5 * 60);
    const a = await finished(
      await queue.add(NOTIFICATION_JOBS.sessionReminder, { sessionId: cancelled, leadMinutes: 60 }),
    );
    const b = await finished(await queue.add(NOTIFICATION_JOBS.sessionReminder, { sessionId: moved, leadMinutes: 60 }));
    expect(a.returnvalue).toEqual({ skipped: 'session is cancelled' });
    expect(b.returnvalue).toEqual({ skipped: 'session was moved later' });
    expect(smtp.to(email!)).toHaveLength(0);
  });

  it('sends rescheduled and cancelled notices to enrolled participants', async () => {
    const [email] = await people([{}]);
    const sessionId = await session(48 * 60);
    await finished(
      await queue.add(NOTIFICATION_JOBS.sessionRescheduled, {
        sessionId,
        courseId,
        previousStartsAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
        reason: 'Narasumber berhalangan',
      }),
    );
    await finished(await queue.add(NOTIFICATION_JOBS.sessionCancelled, { sessionId, courseId, reason: 'Banjir' }));
    const texts = smtp.to(email!).map((m) => mailText(m.raw));
    expect(texts).toHaveLength(2);
    expect(texts.some((t) => t.includes('Jadwal berubah') && t.includes('Narasumber berhalangan'))).toBe(true);
    expect(texts.some((t) => t.includes('Sesi dibatalkan') && t.includes('Banjir'))).toBe(true);
  });

  it('tells a promoted participant and sends password reset links', async () => {
    const [email] = await people([{}]);
    const user = (await db.users.findOne({ email }).lean())!;
    await finished(await queue.add(NOTIFICATION_JOBS.waitlistPromoted, { courseId, userId: user._id.toString() }));
    await finished(
      await queue.add(NOTIFICATION_JOBS.passwordReset, {
        userId: user._id.toString(),
        resetUrl: 'https://balai.test/reset?token=abc123',
      }),
    );
    const texts = smtp.to(email!).map((m) => mailText(m.raw));
    expect(texts.some((t) => t.includes('Sosialisasi Sertifikasi Halal') && t.includes('daftar tunggu'))).toBe(true);
    expect(texts.some((t) => t.includes('https://balai.test/reset?token=abc123'))).toBe(true);
  });

  it('retries with backoff, ends failed with the reason, and never resends to people already served', async () => {
    const [ok, bounce] = await people([{}, { email: `bounce-${Date.now()}@example.id` }]);
    const sessionId = await session(30);
    const job = await queue.add(
      NOTIFICATION_JOBS.sessionReminder,
      { sessionId, leadMinutes: 60 },
      { attempts: 3, backoff: { type: 'exponential', delay: 200 } },
    );
    const done = await finished(job);
    expect(await done.getState()).toBe('failed');
    expect(done.attemptsMade).toBe(3);
    expect(done.failedReason).toMatch(/1 delivery failure.*mailbox unavailable/);
    expect(smtp.to(ok!)).toHaveLength(1);
    expect(smtp.to(bounce!)).toHaveLength(0);
  });

  describe('one delivery per notice and person', () => {
    const compose = () => ({ subject: 'Sekali saja', text: 'Pesan uji' });
    async function recipient() {
      const [email] = await people([{}]);
      const user = (await db.users.findOne({ email }).lean())!;
      return { userId: user._id.toString(), name: user.name, email: email! };
    }

    it('two attempts at the same time send it once; the other is told to retry', async () => {
      const notifier = worker.get(Notifier);
      const to = await recipient();
      const key = `once-${Date.now()}`;
      const [a, b] = await Promise.all([notifier.send(key, [to], compose), notifier.send(key, [to], compose)]);
      expect(a.sent + b.sent).toBe(1);
      expect([...a.failed, ...b.failed].map((f) => f.error)).toEqual(['being delivered by another attempt']);
      expect(await notifier.send(key, [to], compose)).toMatchObject({ sent: 0, skipped: 1, failed: [] });
      expect(smtp.to(to.email)).toHaveLength(1);
      expect(messageId(smtp.to(to.email)[0]!.raw)).toBe(`<${key}.email.${to.userId}@balai.local>`);
    });

    it('takes over the claim of a worker process that died while sending', async () => {
      const notifier = worker.get(Notifier);
      const to = await recipient();
      const key = `orphan-${Date.now()}`;
      await worker
        .get(RedisClient)
        .client.set(`sent:${key}:email:${to.userId}`, 'sending:gone-host-1-abcdef:x', 'EX', 120);
      expect(await notifier.send(key, [to], compose)).toMatchObject({ sent: 1, failed: [] });
      expect(smtp.to(to.email)).toHaveLength(1);
    });
    it('a claim committed by a worker that is gone (it died after the end of DATA) is recorded sent, not sent again', async () => {
      const notifier = worker.get(Notifier);
      const to = await recipient();
      const key = `committed-${Date.now()}`;
      const redis = worker.get(RedisClient).client;
      await redis.set(`sent:${key}:email:${to.userId}`, 'committed:gone-host-1-abcdef:x', 'EX', 120);
      expect(await notifier.send(key, [to], compose)).toMatchObject({ sent: 0, skipped: 1, failed: [] });
      expect(smtp.to(to.email)).toHaveLength(0);
      expect(await redis.get(`sent:${key}:email:${to.userId}`)).toBe('1');
    });

    it('the end of DATA waits for the commit; a refused commit leaves the server nothing', async () => {
      const mail = worker.get(MailTransport);
      const to = await recipient();
      let release!: () => void;
      const committed = new Promise<void>((resolve) => (release = resolve));
      let asked = false;
      const sending = mail.send({
        to: to.email,
        subject: 'Tunggu komit',
        text: 'Pesan uji',
        commit: () => {
          asked = true;
          return committed;
        },
      });
      await waitFor(async () => asked, 10_000, 'the commit hook');
      await new Promise((r) => setTimeout(r, 300));
      expect(smtp.to(to.email)).toHaveLength(0);
      release();
      await sending;
      expect(smtp.to(to.email)).toHaveLength(1);

      const other = await recipient();
      await expect(
        mail.send({ to: other.email, subject: 'Ditolak', text: 'x', commit: () => Promise.reject(new Error('no')) }),
      ).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 300));
      expect(smtp.to(other.email)).toHaveLength(0);
    });

    it('a notice recorded sent in the database is not sent again when Redis lost its marker', async () => {
      const notifier = worker.get(Notifier);
      const to = await recipient();
      const key = `durable-${Date.now()}`;
      expect(await notifier.send(key, [to], compose)).toMatchObject({ sent: 1, failed: [] });
      // A flushed or replaced Redis: the fast marker is gone, the database still knows.
      await worker.get(RedisClient).client.del(`sent:${key}:email:${to.userId}`);
      expect(await notifier.send(key, [to], compose)).toMatchObject({ sent: 0, skipped: 1, failed: [] });
      expect(smtp.to(to.email)).toHaveLength(1);
      const record = await db.connection.db!.collection('notification_deliveries').findOne({
        _id: `${key}.email.${to.userId}` as never,
      });
      expect(record).toMatchObject({ state: 'sent', attempts: 1 });
      expect(record!.sentAt).toBeInstanceOf(Date);
    });

    it('a "sent" marker write that fails after the delivery (Redis away) is retried, and no retry sends again', async () => {
      const notifier = worker.get(Notifier);
      const redis = worker.get(RedisClient).client;
      const to = await recipient();
      const key = `marker-${Date.now()}`;
      const realSet = redis.set.bind(redis) as (...args: unknown[]) => Promise<unknown>;
      let refused = 0;
      const spy = jest.spyOn(redis, 'set').mockImplementation(((...args: unknown[]) => {
        if (args[0] === `sent:${key}:email:${to.userId}` && args[1] === '1' && refused < 3) {
          refused += 1;
          return Promise.reject(new Error('Connection is closed.'));
        }
        return realSet(...args);
      }) as never);
      try {
        // Before the fix the failed write counted as a failed delivery: the claim was released and the retry resent.
        expect(await notifier.send(key, [to], compose)).toMatchObject({ sent: 1, failed: [] });
      } finally {
        spy.mockRestore();
      }
      expect(refused).toBe(3);
      expect(await redis.get(`sent:${key}:email:${to.userId}`)).toBe('1');
      expect(await notifier.send(key, [to], compose)).toMatchObject({ sent: 0, skipped: 1 });
      expect(smtp.to(to.email)).toHaveLength(1);
    });

    it('a claim of this process that no attempt holds any more (its release was lost) does not block the notice', async () => {
      const notifier = worker.get(Notifier);
      const to = await recipient();
      const key = `leftover-${Date.now()}`;
      const { QueueWorkerRunner } = await import('../../../apps/worker/src/queue/queue-worker.runner');
      const self = worker.get(QueueWorkerRunner).workerName;
      await worker.get(RedisClient).client.set(`sent:${key}:email:${to.userId}`, `sending:${self}:lost`, 'EX', 120);
      expect(await notifier.send(key, [to], compose)).toMatchObject({ sent: 1, failed: [] });
      expect(smtp.to(to.email)).toHaveLength(1);
    });
  });

  it('sends at most MAIL_RATE_PER_SECOND, and a password reset does not wait behind a batch of certificate notices', async () => {
    const [email] = await people([{}]);
    const user = (await db.users.findOne({ email }).lean())!;
    const notices = Array.from({ length: 40 }, () => new Types.ObjectId().toHexString());
    await worker.get(NotificationProducer).certificatesIssued(notices);
    const reset = await finished(
      await queue.add(NOTIFICATION_JOBS.passwordReset, {
        userId: user._id.toString(),
        resetUrl: 'https://balai.test/reset?token=first',
      }),
    );
    expect(await reset.getState()).toBe('completed');
    const noticeJobs = async () =>
      (await queue.getJobs(['completed'], 0, -1)).filter((j) => j.name === NOTIFICATION_JOBS.certificateIssued);
    // Jobs without a priority go first: the reset was sent while most of the notices still waited.
    expect((await noticeJobs()).length).toBeLessThan(30);
    await waitFor(async () => (await noticeJobs()).length >= 40, 30_000, 'every notice');
    const finishedAt = (await noticeJobs()).map((j) => j.finishedOn!).sort((a, b) => a - b);
    // 40 jobs at 10 a second cannot finish within less than about 3 s of each other.
    expect(finishedAt[finishedAt.length - 1]! - finishedAt[0]!).toBeGreaterThanOrEqual(2_900);
  });

  it('sends a certificate notice from the facts it carries, and not for a certificate revoked or a person deactivated since', async () => {
    const [okEmail, revokedEmail, inactiveEmail] = await people([{}, {}, {}]);
    const users = await Promise.all(
      [okEmail, revokedEmail, inactiveEmail].map(async (email) => (await db.users.findOne({ email }).lean())!),
    );
    const certificates = await Promise.all(
      users.map((u, i) =>
        db.certificates.create({
          courseId: new Types.ObjectId(courseId),
          userId: u._id,
          number: `NTF-${Date.now()}-${i}`,
          verificationCode: `code-${Date.now()}-${i}`,
          issuedAt: new Date(),
          pdfSha256: 'x',
          pdfFileId: new Types.ObjectId(),
          participantName: u.name,
          courseTitle: 'Pelatihan Uji',
        }),
      ),
    );
    await db.certificates.updateOne({ _id: certificates[1]!._id }, { $set: { status: 'revoked' } });
    await db.users.updateOne({ _id: users[2]!._id }, { $set: { active: false } });
    // Past the sets' freshness (NOTICE_STATE_MS), so the revocation and the deactivation are seen.
    await new Promise((r) => setTimeout(r, 2_100));
    const jobs = await Promise.all(
      certificates.map((c, i) =>
        queue.add(NOTIFICATION_JOBS.certificateIssued, {
          certificateId: c._id.toString(),
          notice: {
            courseId,
            userId: users[i]!._id.toString(),
            name: users[i]!.name,
            email: users[i]!.email,
            number: c.number,
            courseTitle: c.courseTitle,
            verificationCode: c.verificationCode,
          },
        }),
      ),
    );
    const results = await Promise.all(jobs.map(async (j) => (await finished(j)).returnvalue as unknown));
    expect(results[0]).toMatchObject({ sent: 1, failed: [] });
    expect(results[1]).toEqual({ skipped: 'certificate is no longer valid' });
    expect(results[2]).toEqual({ skipped: 'user not found' });
    expect(smtp.to(okEmail!)).toHaveLength(1);
    expect(mailText(smtp.to(okEmail!)[0]!.raw)).toContain(`/verify/${certificates[0]!.verificationCode}`);
    expect(mailText(smtp.to(okEmail!)[0]!.raw)).toContain(certificates[0]!.number);
    expect(smtp.to(revokedEmail!)).toHaveLength(0);
    expect(smtp.to(inactiveEmail!)).toHaveLength(0);
    // Sent once: the delivery record says so (a repeat of the job is skipped).
    const again = await finished(
      await queue.add(NOTIFICATION_JOBS.certificateIssued, jobs[0]!.data as never, {
        jobId: `again-${Date.now()}`,
      }),
    );
    expect(again.returnvalue).toMatchObject({ sent: 0, skipped: 1 });
    expect(smtp.to(okEmail!)).toHaveLength(1);
  });

  it('rejects a malformed payload without retrying', async () => {
    const done = await finished(await queue.add(NOTIFICATION_JOBS.sessionReminder, { leadMinutes: 60 }));
    expect(await done.getState()).toBe('failed');
    expect(done.attemptsMade).toBe(1);
    expect(done.failedReason).toMatch(/INVALID_JOB: sessionId/);
    const notice = { courseId: 'nope', userId: 'nope', name: 'x', email: 'x@example.id', number: '1' };
    const bad = await finished(
      await queue.add(NOTIFICATION_JOBS.certificateIssued, {
        certificateId: new Types.ObjectId().toHexString(),
        notice: { ...notice, courseTitle: 'x', verificationCode: 'x' },
      }),
    );
    expect(await bad.getState()).toBe('failed');
    expect(bad.attemptsMade).toBe(1);
    expect(bad.failedReason).toMatch(/INVALID_JOB: notice.courseId/);
  });
});
