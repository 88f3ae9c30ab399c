import { Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import {
  CertificateIssuedJob,
  certificateIssuedJobId,
  NOTIFICATION_JOBS,
  NotificationJobName,
  NotificationPayloads,
  PasswordResetJob,
  QUEUES,
  REMINDER_LEAD_MINUTES,
  reminderJobId,
  SessionChangedJob,
  SessionReminderJob,
} from '../queues';

/**
 * Certificate notices wait behind every other mail: BullMQ takes jobs without a
 * priority first, so a password reset is not stuck behind a 10,000-person batch
 * (the worker sends at most MAIL_RATE_PER_SECOND).
 */
export const BULK_NOTICE_PRIORITY = 10;

/**
 * The one producer of the notification queue (api and worker): reminders as
 * delayed jobs with deterministic ids (so a reschedule replaces them), and
 * notices. The worker resolves recipients and sends; this class never sends
 * anything itself, and nothing else adds notification jobs.
 */
@Injectable()
export class NotificationProducer {
  private readonly logger = new Logger(NotificationProducer.name);

  constructor(
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue<NotificationPayloads[NotificationJobName]>,
  ) {}

  private add<N extends NotificationJobName>(
    name: N,
    data: NotificationPayloads[N],
    opts: { jobId?: string; delay?: number; priority?: number } = {},
  ) {
    return this.queue.add(name, data, opts);
  }

  /** (Re)schedules the 24 h and 1 h reminders; past lead times are skipped. */
  async scheduleReminders(sessionId: string, startsAt: Date, now = Date.now()): Promise<void> {
    await this.removeReminders(sessionId);
    for (const leadMinutes of REMINDER_LEAD_MINUTES) {
      const delay = startsAt.getTime() - leadMinutes * 60_000 - now;
      if (delay <= 0) continue;
      const data: SessionReminderJob = { sessionId, leadMinutes };
      await this.add(NOTIFICATION_JOBS.sessionReminder, data, { jobId: reminderJobId(sessionId, leadMinutes), delay });
    }
  }

  async removeReminders(sessionId: string): Promise<void> {
    for (const leadMinutes of REMINDER_LEAD_MINUTES) {
      const jobId = reminderJobId(sessionId, leadMinutes);
      try {
        await this.queue.remove(jobId);
      } catch (error) {
        // An active (being sent) reminder is locked; it is already on its way.
        this.logger.warn({ jobId, err: error }, 'could not remove reminder');
      }
    }
  }

  async sessionRescheduled(data: SessionChangedJob): Promise<void> {
    await this.add(NOTIFICATION_JOBS.sessionRescheduled, data);
  }

  async sessionCancelled(data: SessionChangedJob): Promise<void> {
    await this.add(NOTIFICATION_JOBS.sessionCancelled, data);
  }

  async waitlistPromoted(courseId: string, userId: string): Promise<void> {
    await this.add(
      NOTIFICATION_JOBS.waitlistPromoted,
      { courseId, userId },
      { jobId: `promoted-${courseId}-${userId}-${Date.now()}` },
    );
  }

  async passwordReset(data: PasswordResetJob): Promise<void> {
    await this.add(NOTIFICATION_JOBS.passwordReset, data);
  }

  /** Idempotent: one notice job per certificate (the notice itself also checks `notifiedAt`). */
  async certificateIssued(certificateId: string): Promise<void> {
    await this.add(
      NOTIFICATION_JOBS.certificateIssued,
      { certificateId },
      { jobId: certificateIssuedJobId(certificateId), priority: BULK_NOTICE_PRIORITY },
    );
  }

  /**
   * The same for several certificates in one round trip to Redis (a worker's batch of certificates),
   * each with what its email says when the caller has it (CertificateIssuedJob.notice).
   */
  async certificatesIssued(notices: Array<string | CertificateIssuedJob>): Promise<void> {
    if (!notices.length) return;
    await this.queue.addBulk(
      notices
        .map((notice) => (typeof notice === 'string' ? { certificateId: notice } : notice))
        .map((data) => ({
          name: NOTIFICATION_JOBS.certificateIssued,
          data,
          opts: { jobId: certificateIssuedJobId(data.certificateId), priority: BULK_NOTICE_PRIORITY },
        })),
    );
  }
}
