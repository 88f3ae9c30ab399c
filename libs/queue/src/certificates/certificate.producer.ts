import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { CERTIFICATE_JOBS, certificateJobId, IssueCertificateJob, QUEUES } from '../queues';

/**
 * Enqueues certificate jobs with deterministic ids, so enqueuing a participant
 * twice (a double click, a retried request, the auto-issuer racing an admin)
 * yields one job while the first still exists, and the processor's unique index
 * covers the rest.
 */
@Injectable()
export class CertificateProducer {
  constructor(@InjectQueue(QUEUES.certificates) private readonly queue: Queue<IssueCertificateJob>) {}

  async enqueue(courseId: string, userIds: string[], requestedBy: string): Promise<void> {
    const chunk = 500;
    for (let i = 0; i < userIds.length; i += chunk) {
      await this.queue.addBulk(
        userIds.slice(i, i + chunk).map((userId) => ({
          name: CERTIFICATE_JOBS.issue,
          data: { courseId, userId, requestedBy },
          opts: { jobId: certificateJobId(courseId, userId) },
        })),
      );
    }
  }
}
