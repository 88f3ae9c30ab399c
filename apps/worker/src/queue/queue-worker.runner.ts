/**
 * Runs BullMQ workers for this process. Built here (not with @Processor) so that
 * concurrency and lock timings come from the validated config, so wiring is
 * checked at start-up (every job name of a queue has exactly one handler), and
 * so shutdown waits for active jobs before the database connection closes.
 */
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Job, Queue, Worker } from 'bullmq';
import type { WorkerEnv } from '@balai/config';
import type { JobHandlers } from './job-handler';

interface Registration {
  queue: Queue;
  expected: readonly string[];
  handlers: JobHandlers;
  concurrency?: number;
}

@Injectable()
export class QueueWorkerRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(QueueWorkerRunner.name);
  private readonly registrations: Registration[] = [];
  private readonly workers: Worker[] = [];

  constructor(private readonly config: ConfigService<WorkerEnv, true>) {}

  /** Called by processors in their constructor or onModuleInit. */
  register(registration: Registration): void {
    const names = Object.keys(registration.handlers);
    const missing = registration.expected.filter((name) => !names.includes(name));
    const unknown = names.filter((name) => !registration.expected.includes(name));
    if (missing.length || unknown.length) {
      throw new Error(
        `Queue ${registration.queue.name}: job names without a handler [${missing.join(', ')}], handlers for unknown names [${unknown.join(', ')}]`,
      );
    }
    if (this.registrations.some((r) => r.queue.name === registration.queue.name)) {
      throw new Error(`Queue ${registration.queue.name} has two processors`);
    }
    this.registrations.push(registration);
  }

  onApplicationBootstrap(): void {
    const lockDuration = this.config.get('WORKER_LOCK_MS', { infer: true });
    for (const { queue, handlers, concurrency } of this.registrations) {
      const worker = new Worker(
        queue.name,
        async (job: Job) => {
          const handler = handlers[job.name];
          if (!handler) throw new Error(`no handler for job ${job.name}`);
          return handler(job);
        },
        {
          connection: queue.opts.connection,
          prefix: queue.opts.prefix,
          concurrency: concurrency ?? this.config.get('WORKER_CONCURRENCY', { infer: true }),
          lockDuration,
          stalledInterval: lockDuration,
          // A job whose worker died twice (kill, Redis restart) is still retried, not failed.
          maxStalledCount: 3,
        },
      );
      worker.on('failed', (job, error) => {
        const final = job && job.attemptsMade >= (job.opts.attempts ?? 1);
        this.logger.warn({ queue: queue.name, job: job?.id, name: job?.name, attempt: job?.attemptsMade, final, err: error.message }, 'job failed');
      });
      worker.on('error', (error) => this.logger.error({ queue: queue.name, err: error.message }, 'worker error'));
      this.workers.push(worker);
      this.logger.log(`processing ${queue.name} with concurrency ${worker.concurrency}`);
    }
  }

  /** SIGTERM: stop taking jobs and wait for the active ones, while Mongo and SMTP are still open. */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`closing ${this.workers.length} worker(s) (${signal ?? 'shutdown'}), waiting for active jobs`);
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}
