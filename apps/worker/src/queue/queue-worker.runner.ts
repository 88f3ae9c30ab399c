/**
 * Runs BullMQ workers for this process. Built here (not with @Processor) so that
 * concurrency and lock timings come from the validated config, so wiring is
 * checked at start-up (every job name of a queue has exactly one handler), and
 * so shutdown waits for active jobs before the database connection closes.
 *
 * Dead workers: BullMQ alone hands a killed worker's jobs to another only after
 * their lock expires and a stalled check runs (lockDuration + stalledInterval).
 * Each process here names its workers, and every ORPHAN_CHECK_MS (first at
 * start-up) hands back the active jobs whose worker name is no longer connected
 * to Redis (see @balai/queue/stalled-jobs), so a restarted worker resumes a cut
 * batch within seconds while the lock stays long enough for a busy, live worker.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Job, Queue, Worker } from 'bullmq';
import { RedisClient } from '@balai/common';
import type { WorkerEnv } from '@balai/config';
import { connectedWorkerNames, isOrphaned } from '@balai/queue/stalled-jobs';
import type { JobHandlers } from './job-handler';

interface Registration {
  queue: Queue;
  expected: readonly string[];
  handlers: JobHandlers;
  concurrency?: number;
  /** At most `max` jobs per `duration` ms across every worker of the queue (BullMQ's limiter). */
  limiter?: { max: number; duration: number };
}

/** How often a process looks for active jobs of workers that are gone. */
export const ORPHAN_CHECK_MS = 1_000;
/**
 * BullMQ's own stalled check (for a worker that is connected but stopped renewing its
 * locks): runs at most this often across all workers; it is one small Lua script.
 */
const STALLED_CHECK_MS = 5_000;
/** While one process hands a job back, others leave it alone. */
const RECLAIM_GUARD_MS = 10_000;

@Injectable()
export class QueueWorkerRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(QueueWorkerRunner.name);
  private readonly registrations: Registration[] = [];
  private readonly workers: Worker[] = [];
  /** Unique per process (pids repeat across containers and restarts). */
  readonly workerName = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  /** Orphans seen by the previous check: a job is handed back only when seen orphaned twice. */
  private suspects = new Map<string, string>();
  private orphanTimer?: NodeJS.Timeout;
  private checking = false;

  constructor(
    private readonly config: ConfigService<WorkerEnv, true>,
    private readonly redis: RedisClient,
  ) {}

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

  /**
   * Before taking any job, hand back what workers that are gone still hold (checked twice,
   * ORPHAN_CHECK_MS apart), so a restarted worker starts with the cut batch's jobs first.
   */
  async onApplicationBootstrap(): Promise<void> {
    // Long enough that a live worker busy rendering PDFs on a loaded machine renews it in time (every half).
    const lockDuration = this.config.get('WORKER_LOCK_MS', { infer: true });
    for (const { queue, handlers, concurrency, limiter } of this.registrations) {
      const worker = new Worker(
        queue.name,
        async (job: Job) => {
          const handler = handlers[job.name];
          if (!handler) throw new Error(`no handler for job ${job.name}`);
          return handler(job);
        },
        {
          name: this.workerName,
          autorun: false,
          connection: queue.opts.connection,
          prefix: queue.opts.prefix,
          concurrency: concurrency ?? this.config.get('WORKER_CONCURRENCY', { infer: true }),
          limiter,
          lockDuration,
          stalledInterval: Math.min(lockDuration, STALLED_CHECK_MS),
          // A job whose worker died twice (kill, Redis restart) is still retried, not failed.
          maxStalledCount: 3,
        },
      );
      worker.on('failed', (job, error) => {
        const final = job && job.attemptsMade >= (job.opts.attempts ?? 1);
        this.logger.warn(
          { queue: queue.name, job: job?.id, name: job?.name, attempt: job?.attemptsMade, final, err: error.message },
          'job failed',
        );
      });
      worker.on('stalled', (jobId) =>
        this.logger.warn({ queue: queue.name, job: jobId }, 'job stalled (lock expired); handed back'),
      );
      worker.on('error', (error) => this.logger.error({ queue: queue.name, err: error.message }, 'worker error'));
      this.workers.push(worker);
      this.logger.log(`processing ${queue.name} with concurrency ${worker.concurrency} as ${this.workerName}`);
    }
    if (await this.reclaimOrphans(true)) {
      await new Promise((resolve) => setTimeout(resolve, ORPHAN_CHECK_MS));
      await this.reclaimOrphans();
    }
    for (const worker of this.workers) {
      worker
        .run()
        .catch((error: Error) => this.logger.error({ queue: worker.name, err: error.message }, 'worker stopped'));
    }
    this.orphanTimer = setInterval(() => void this.reclaimOrphans(), ORPHAN_CHECK_MS);
    this.orphanTimer.unref();
  }

  /**
   * Hands back to "waiting" the active jobs of workers that are not connected, when a
   * job is seen so on two checks in a row (a Redis restart briefly disconnects live
   * workers too). Returns how many jobs were handed back, or with `countSuspects` how
   * many are waiting for their second sighting.
   */
  async reclaimOrphans(countSuspects = false): Promise<number> {
    if (this.checking) return 0;
    this.checking = true;
    let reclaimed = 0;
    const next = new Map<string, string>();
    try {
      for (const { queue } of this.registrations) {
        const active = (await queue.getJobs(['active'])).filter((job): job is Job => !!job?.id);
        if (!active.length) continue;
        const connected = await connectedWorkerNames(queue);
        connected.add(this.workerName);
        for (const job of active) {
          if (!isOrphaned(job, connected)) continue;
          const key = `${queue.name}:${job.id}`;
          if (this.suspects.get(key) !== job.processedBy) {
            next.set(key, job.processedBy!);
            continue;
          }
          if (await this.handBack(queue, job)) reclaimed += 1;
        }
      }
      if (reclaimed) this.logger.warn(`handed back ${reclaimed} job(s) of worker(s) that are gone`);
    } catch (error) {
      // Redis away: the next check tries again.
      this.logger.debug({ err: (error as Error).message }, 'orphan check failed');
    } finally {
      this.suspects = next;
      this.checking = false;
    }
    return countSuspects ? next.size : reclaimed;
  }

  private async handBack(queue: Queue, seen: Job): Promise<boolean> {
    const guard = await this.redis.client.set(
      `reclaim:${queue.name}:${seen.id}`,
      this.workerName,
      'PX',
      RECLAIM_GUARD_MS,
      'NX',
    );
    if (guard !== 'OK') return false;
    // Still active under the same dead worker? (another process may have handed it back and a worker taken it.)
    const job = await queue.getJob(seen.id!);
    if (!job || job.processedBy !== seen.processedBy || (await job.getState()) !== 'active') return false;
    // Token "0": move without owning the lock (its owner is gone); the next worker takes a fresh lock.
    await job.moveToWait('0');
    this.logger.warn(
      { queue: queue.name, job: job.id, name: job.name, deadWorker: seen.processedBy },
      'handed back a job of a worker that is gone',
    );
    return true;
  }

  /** Names of the worker processes connected to Redis now (this one included). */
  async liveWorkerNames(): Promise<Set<string>> {
    const names = new Set<string>([this.workerName]);
    for (const { queue } of this.registrations) for (const name of await connectedWorkerNames(queue)) names.add(name);
    return names;
  }

  /** SIGTERM: stop taking jobs and wait for the active ones, while Mongo and SMTP are still open. */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    clearInterval(this.orphanTimer);
    this.logger.log(`closing ${this.workers.length} worker(s) (${signal ?? 'shutdown'}), waiting for active jobs`);
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}
