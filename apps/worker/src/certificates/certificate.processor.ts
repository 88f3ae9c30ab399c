import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import { Types } from 'mongoose';
import { CERTIFICATE_JOBS, IssueCertificateJob, QUEUES } from '@balai/queue';
import { QueueWorkerRunner } from '../queue/queue-worker.runner';
import { AUTO_ISSUE_EVERY_MS, AutoIssuer } from './auto-issue.service';
import { CertificateIssuer, IssueOutcome, PermanentIssueError } from './certificate-issuer.service';

/** The certificates queue: validates each payload and hands it to the issuer. */
@Injectable()
export class CertificateProcessor implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly runner: QueueWorkerRunner,
    private readonly issuer: CertificateIssuer,
    private readonly autoIssuer: AutoIssuer,
    @InjectQueue(QUEUES.certificates) private readonly queue: Queue,
  ) {}

  onModuleInit(): void {
    this.runner.register({
      queue: this.queue,
      expected: Object.values(CERTIFICATE_JOBS),
      handlers: {
        [CERTIFICATE_JOBS.issue]: (job) => this.issue(job as Job<IssueCertificateJob>),
        [CERTIFICATE_JOBS.autoIssueScan]: () => this.autoIssuer.scan(),
      },
    });
  }

  /** One schedule in Redis, upserted by every worker at start-up. */
  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'certificates-auto-issue',
      { every: AUTO_ISSUE_EVERY_MS },
      {
        name: CERTIFICATE_JOBS.autoIssueScan,
        data: {},
        opts: { attempts: 1, removeOnComplete: true, removeOnFail: { count: 20 } },
      },
    );
  }

  async issue(job: Job<IssueCertificateJob>): Promise<IssueOutcome> {
    const data = job.data;
    if (
      !data ||
      !Types.ObjectId.isValid(data.courseId) ||
      !Types.ObjectId.isValid(data.userId) ||
      typeof data.requestedBy !== 'string'
    ) {
      throw new UnrecoverableError(
        `INVALID_JOB: expected {courseId, userId, requestedBy}, got ${JSON.stringify(data)}`,
      );
    }
    try {
      return await this.issuer.issue(data, {
        current: data.reserved,
        mayHaveLeftovers: job.attemptsStarted > 1 || job.attemptsMade > 0 || !!data.reserved,
        save: async (reserved) => {
          await job.updateData({ ...job.data, reserved });
        },
      });
    } catch (error) {
      if (error instanceof PermanentIssueError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }
}
