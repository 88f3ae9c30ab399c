/**
 * The notifications queue: one small handler per job name. Each handler reads
 * the current state (a reminder for a session that was cancelled, moved or
 * left is skipped) and sends through the Notifier. A delivery failure throws,
 * so BullMQ retries with backoff; people already served are not sent twice.
 */
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import { Types } from 'mongoose';
import type { WorkerEnv } from '@balai/config';
import {
  CertificateIssuedJob,
  CertificateNoticeFacts,
  NOTIFICATION_JOBS,
  NotificationPayloads,
  PasswordResetJob,
  QUEUES,
  SessionChangedJob,
  SessionReminderJob,
  WaitlistPromotedJob,
} from '@balai/queue';
import { QueueWorkerRunner } from '../queue/queue-worker.runner';
import type { JobHandlers } from '../queue/job-handler';
import { messages, wib } from './notification.messages';
import { NotificationRepository } from './notification.repository';
import { DeliveryReport, Notifier } from './notifier.service';
import type { Recipient } from './channels/notification-channel';

/** A reminder that fires this much earlier than its session's start minus lead is stale (the session moved). */
const REMINDER_EARLY_TOLERANCE_MS = 5 * 60_000;

export type NoticeResult = DeliveryReport | { skipped: string };

@Injectable()
export class NotificationProcessor implements OnModuleInit {
  constructor(
    private readonly runner: QueueWorkerRunner,
    private readonly repository: NotificationRepository,
    private readonly notifier: Notifier,
    private readonly config: ConfigService<WorkerEnv, true>,
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue,
  ) {}

  onModuleInit(): void {
    const handlers: {
      [K in keyof NotificationPayloads]: (job: Job<NotificationPayloads[K]>) => Promise<NoticeResult>;
    } = {
      [NOTIFICATION_JOBS.sessionReminder]: (job) => this.reminder(job),
      [NOTIFICATION_JOBS.sessionRescheduled]: (job) => this.sessionChanged(job, 'rescheduled'),
      [NOTIFICATION_JOBS.sessionCancelled]: (job) => this.sessionChanged(job, 'cancelled'),
      [NOTIFICATION_JOBS.waitlistPromoted]: (job) => this.waitlistPromoted(job),
      [NOTIFICATION_JOBS.certificateIssued]: (job) => this.certificateIssued(job),
      [NOTIFICATION_JOBS.passwordReset]: (job) => this.passwordReset(job),
    };
    const mailsPerSecond = this.config.get('MAIL_RATE_PER_SECOND', { infer: true });
    this.runner.register({
      queue: this.queue,
      expected: Object.values(NOTIFICATION_JOBS),
      handlers: handlers as unknown as JobHandlers,
      limiter: mailsPerSecond > 0 ? { max: mailsPerSecond, duration: 1000 } : undefined,
    });
  }

  async reminder(job: Job<SessionReminderJob>): Promise<NoticeResult> {
    const { sessionId, leadMinutes } = job.data ?? ({} as SessionReminderJob);
    requireString(sessionId, 'sessionId');
    if (typeof leadMinutes !== 'number' || leadMinutes <= 0)
      throw new UnrecoverableError('INVALID_JOB: leadMinutes must be a positive number');
    const session = await this.repository.session(sessionId);
    if (!session) return { skipped: 'session not found' };
    if (session.status !== 'scheduled') return { skipped: `session is ${session.status}` };
    const now = Date.now();
    if (now >= session.startsAt.getTime()) return { skipped: 'session already started' };
    if (now < session.startsAt.getTime() - leadMinutes * 60_000 - REMINDER_EARLY_TOLERANCE_MS)
      return { skipped: 'session was moved later' };
    const courseTitle = (await this.repository.courseTitle(session.courseId)) ?? '';
    // Read enrolment now, not when the reminder was scheduled: people who left get nothing.
    const recipients = await this.repository.enrolled(session.courseId);
    const startsAt = wib(session.startsAt);
    const report = await this.notifier.send(
      `reminder-${sessionId}-${leadMinutes}-${session.startsAt.getTime()}`,
      recipients,
      (r) =>
        messages.reminder(r.name, {
          courseTitle,
          sessionTitle: session.title,
          startsAt,
          leadMinutes,
          url: this.url(`/#/kelas/${session.courseId}`),
        }),
    );
    return this.settle(report);
  }

  async sessionChanged(job: Job<SessionChangedJob>, kind: 'rescheduled' | 'cancelled'): Promise<NoticeResult> {
    const { sessionId, courseId, previousStartsAt, reason } = job.data ?? ({} as SessionChangedJob);
    requireString(sessionId, 'sessionId');
    requireString(courseId, 'courseId');
    const session = await this.repository.session(sessionId);
    if (!session) return { skipped: 'session not found' };
    const courseTitle = (await this.repository.courseTitle(courseId)) ?? '';
    const recipients = await this.repository.enrolled(courseId);
    const url = this.url(`/#/kelas/${courseId}`);
    const startsAt = wib(session.startsAt);
    const previous =
      previousStartsAt && !Number.isNaN(Date.parse(previousStartsAt)) ? wib(new Date(previousStartsAt)) : undefined;
    const report = await this.notifier.send(`${kind}-${job.id}`, recipients, (r) =>
      kind === 'cancelled'
        ? messages.cancelled(r.name, {
            courseTitle,
            sessionTitle: session.title,
            startsAt: previous ?? startsAt,
            reason,
            url,
          })
        : messages.rescheduled(r.name, { courseTitle, sessionTitle: session.title, startsAt, previous, reason, url }),
    );
    return this.settle(report);
  }

  async waitlistPromoted(job: Job<WaitlistPromotedJob>): Promise<NoticeResult> {
    const { courseId, userId } = job.data ?? ({} as WaitlistPromotedJob);
    requireString(courseId, 'courseId');
    requireString(userId, 'userId');
    const recipient = await this.repository.recipient(userId);
    if (!recipient) return { skipped: 'user not found' };
    const courseTitle = (await this.repository.courseTitle(courseId)) ?? '';
    const report = await this.notifier.send(`promoted-${job.id}`, [recipient], (r) =>
      messages.waitlistPromoted(r.name, { courseTitle, url: this.url(`/#/kelas/${courseId}`) }),
    );
    return this.settle(report);
  }

  async certificateIssued(job: Job<CertificateIssuedJob>): Promise<NoticeResult> {
    const { certificateId, notice } = job.data ?? ({} as CertificateIssuedJob);
    requireString(certificateId, 'certificateId');
    if (notice) return this.certificateNotice(certificateId, notice);
    const certificate = await this.repository.certificate(certificateId);
    if (!certificate) return { skipped: 'certificate not found' };
    if (certificate.notifiedAt) return { skipped: 'already notified' };
    if (certificate.status !== 'valid') return { skipped: `certificate is ${certificate.status}` };
    const recipient = await this.repository.recipient(certificate.userId.toString());
    if (!recipient) return { skipped: 'user not found' };
    const report = await this.notifier.send(`certificate-${certificateId}`, [recipient], (r) =>
      messages.certificateIssued(r.name, {
        courseTitle: certificate.courseTitle,
        number: certificate.number,
        verifyUrl: this.url(`/verify/${certificate.verificationCode}`),
        downloadUrl: this.url(`/#/sertifikat`),
      }),
    );
    const result = this.settle(report);
    await this.repository.markCertificateNotified(certificate._id);
    return result;
  }

  /**
   * A notice that carries what its email says (queued by the worker that stored the certificate):
   * nothing is read per email but two small sets kept for a couple of seconds, this course's
   * certificates that are no longer valid and the deactivated users, so a certificate revoked or a
   * person deactivated since is still not emailed (seen within NOTICE_STATE_MS). The delivery
   * record makes it once; `notifiedAt` is not written here (an update by `_id` scans the
   * certificates on FerretDB over PostgreSQL): the delivery record is what says it was sent.
   */
  private async certificateNotice(certificateId: string, notice: CertificateNoticeFacts): Promise<NoticeResult> {
    for (const name of ['courseId', 'userId', 'name', 'email', 'number', 'courseTitle', 'verificationCode'] as const)
      requireString(notice[name], `notice.${name}`);
    if (!Types.ObjectId.isValid(notice.courseId) || !Types.ObjectId.isValid(notice.userId))
      throw new UnrecoverableError('INVALID_JOB: notice.courseId and notice.userId must be object ids');
    if ((await this.repository.invalidCertificateIds(notice.courseId)).has(certificateId))
      return { skipped: 'certificate is no longer valid' };
    if ((await this.repository.inactiveUserIds()).has(notice.userId)) return { skipped: 'user not found' };
    const recipient: Recipient = {
      userId: notice.userId,
      name: notice.name,
      email: notice.email,
      ...(notice.whatsapp ? { whatsapp: notice.whatsapp } : {}),
    };
    const report = await this.notifier.send(`certificate-${certificateId}`, [recipient], (r) =>
      messages.certificateIssued(r.name, {
        courseTitle: notice.courseTitle,
        number: notice.number,
        verifyUrl: this.url(`/verify/${notice.verificationCode}`),
        downloadUrl: this.url(`/#/sertifikat`),
      }),
    );
    return this.settle(report);
  }

  async passwordReset(job: Job<PasswordResetJob>): Promise<NoticeResult> {
    const { userId, resetUrl } = job.data ?? ({} as PasswordResetJob);
    requireString(userId, 'userId');
    requireString(resetUrl, 'resetUrl');
    const recipient = await this.repository.recipient(userId);
    if (!recipient) return { skipped: 'user not found' };
    // Only email: a reset link must go to the verified address, never another channel.
    const report = await this.notifier.send(`reset-${job.id}`, [recipient], (r) =>
      messages.passwordReset(r.name, { resetUrl }),
    );
    return this.settle(report);
  }

  /** Throw when anyone was not reached, so the job retries (those reached are skipped next time). */
  private settle(report: DeliveryReport): DeliveryReport {
    if (report.failed.length) {
      const first = report.failed[0]!;
      throw new Error(
        `${report.failed.length} delivery failure(s), first: ${first.channel} to ${first.userId}: ${first.error}`,
      );
    }
    return report;
  }

  private url(path: string): string {
    return `${this.config.get('PUBLIC_BASE_URL', { infer: true }).replace(/\/+$/, '')}${path}`;
  }
}

function requireString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || !value) throw new UnrecoverableError(`INVALID_JOB: ${name} is required`);
}
