/**
 * The certificate batch of a course, as seen in BullMQ: one job per participant
 * with a deterministic id, so the batch is found by computing ids, with no
 * batch record to keep in sync.
 */
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { certificateJobId, IssueCertificateJob, QUEUES } from '@balai/queue';
import { connectedWorkerNames, isOrphaned } from '@balai/queue/stalled-jobs';
import type { IssueProgressDto, JobFailureDto } from './dto/certificate.dto';

const CHUNK = 100;

@Injectable()
export class CertificateBatch {
  constructor(@InjectQueue(QUEUES.certificates) private readonly queue: Queue<IssueCertificateJob>) {}

  async progress(courseId: string, userIds: string[], certified: Set<string>): Promise<IssueProgressDto> {
    const counts = { waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0, stalled: 0 };
    let connected: Set<string> | undefined;
    const failures: JobFailureDto[] = [];
    let total = 0;
    for (let i = 0; i < userIds.length; i += CHUNK) {
      const slice = userIds.slice(i, i + CHUNK);
      const states = await Promise.all(
        slice.map(async (userId) => {
          const job = await this.queue.getJob(certificateJobId(courseId, userId));
          return { userId, job, state: job ? await job.getState() : undefined };
        }),
      );
      for (const { userId, job, state } of states) {
        if (certified.has(userId)) {
          total += 1;
          counts.completed += 1;
          continue;
        }
        if (!job || !state) continue;
        total += 1;
        if (state === 'failed') {
          counts.failed += 1;
          failures.push(toFailure(job, userId));
        } else if (state === 'active') {
          counts.active += 1;
          // Active under a worker that is gone (killed, crashed): shown as stalled until a worker hands it back.
          connected ??= await connectedWorkerNames(this.queue);
          if (isOrphaned(job, connected)) counts.stalled += 1;
        } else if (state === 'delayed') counts.delayed += 1;
        else if (state === 'completed') counts.completed += 1;
        else counts.waiting += 1;
      }
    }
    const pending = counts.waiting + counts.active + counts.delayed;
    const state = total === 0 ? 'idle' : pending > 0 ? 'running' : counts.failed > 0 ? 'failed' : 'done';
    return { total, done: certified.size, ...counts, state, failures };
  }

  /** Move this course's failed jobs back to waiting (attempts start again). */
  async retryFailed(courseId: string, userIds: string[]): Promise<number> {
    let retried = 0;
    for (const userId of userIds) {
      const job = await this.queue.getJob(certificateJobId(courseId, userId));
      if (job && (await job.getState()) === 'failed') {
        await job.retry('failed', { resetAttemptsMade: true });
        retried += 1;
      }
    }
    return retried;
  }

  /**
   * A finished job that did not produce a certificate (failed for a reason an
   * admin has since fixed, e.g. attendance corrected) would block a new job
   * with the same id; remove it so the participant can be enqueued again.
   */
  async clearFinished(courseId: string, userIds: string[]): Promise<void> {
    for (const userId of userIds) {
      const job = await this.queue.getJob(certificateJobId(courseId, userId));
      if (!job) continue;
      const state = await job.getState();
      if (state === 'completed' || state === 'failed') await job.remove();
    }
  }
}

function toFailure(job: Job<IssueCertificateJob>, userId: string): JobFailureDto {
  return {
    jobId: job.id ?? '',
    userId,
    reason: job.failedReason ?? 'unknown',
    attemptsMade: job.attemptsMade,
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined,
  };
}
