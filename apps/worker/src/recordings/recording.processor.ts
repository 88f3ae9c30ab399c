/**
 * The recordings queue: composes a stopped recording's MP4 variants from its
 * spooled tracks, stores them (GridFS or a directory, RECORDING_STORAGE) and
 * marks the recording ready.
 * Progress is written to the recording (and the job) as ffmpeg reports it; a
 * failure's reason is kept on the recording and the job is retried (BullMQ
 * backoff, see RecordingProducer); after the last attempt it is `failed`.
 */
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import { Types } from 'mongoose';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ComposeRecordingJob, QUEUES, RECORDING_JOBS } from '@balai/queue';
import { QueueWorkerRunner } from '../queue/queue-worker.runner';
import { VARIANTS } from './compose-plan';
import type { RecordingWorkerEnv } from './recording.config';
import { RecordingComposer } from './recording-composer';
import { RecordingRepository } from './recording.repository';
import { RecordingStore } from './recording.store';

/** At most one database write of progress per this many ms. */
const PROGRESS_EVERY_MS = 1000;

@Injectable()
export class RecordingProcessor implements OnModuleInit {
  private readonly logger = new Logger(RecordingProcessor.name);

  constructor(
    private readonly runner: QueueWorkerRunner,
    private readonly composer: RecordingComposer,
    private readonly recordings: RecordingRepository,
    private readonly store: RecordingStore,
    private readonly config: ConfigService<RecordingWorkerEnv, true>,
    @InjectQueue(QUEUES.recordings) private readonly queue: Queue,
  ) {}

  onModuleInit(): void {
    this.runner.register({
      queue: this.queue,
      expected: Object.values(RECORDING_JOBS),
      handlers: { [RECORDING_JOBS.compose]: (job) => this.compose(job as Job<ComposeRecordingJob>) },
      // One composition at a time per worker process: it takes the CPU it is given.
      concurrency: 1,
    });
  }

  async compose(job: Job<ComposeRecordingJob>): Promise<{ durationSeconds: number }> {
    const id = job.data?.recordingId;
    if (typeof id !== 'string' || !Types.ObjectId.isValid(id)) {
      throw new UnrecoverableError(`INVALID_JOB: expected {recordingId}, got ${JSON.stringify(job.data)}`);
    }
    const recording = await this.recordings.findById(id);
    if (!recording) throw new UnrecoverableError(`NOT_FOUND: recording ${id}`);
    if (recording.status === 'ready') return { durationSeconds: recording.durationSeconds ?? 0 };
    const attempt = job.attemptsMade + 1;
    await this.recordings.composing(id, attempt);
    const dir = join(this.config.get('RECORDING_SPOOL_DIR', { infer: true }), id);
    let lastWrite = 0;
    try {
      const result = await this.composer.compose(dir, {
        ffmpegPath: this.config.get('FFMPEG_PATH', { infer: true }),
        threads: this.config.get('RECORDING_COMPOSE_THREADS', { infer: true }),
        onProgress: (percent) => {
          if (Date.now() - lastWrite < PROGRESS_EVERY_MS) return;
          lastWrite = Date.now();
          void this.recordings.progress(id, percent).catch(() => undefined);
          void job.updateProgress(percent).catch(() => undefined);
        },
      });
      const variants = [];
      for (const spec of VARIANTS) {
        const path = result.outputs[spec.name];
        const size = (await stat(path)).size;
        const stored = await this.store.putFile(path, `recording-${id}-${spec.name}.mp4`);
        variants.push({ name: spec.name, ...stored, size, width: spec.width, height: spec.height });
      }
      const days = this.config.get('RECORDING_RETENTION_DAYS', { infer: true });
      await this.recordings.ready(id, {
        durationSeconds: Math.round(result.durationSeconds * 10) / 10,
        variants,
        expiresAt: days > 0 ? new Date(recording.startedAt.getTime() + days * 86_400_000) : undefined,
      });
      await job.updateProgress(100).catch(() => undefined);
      // The raw tracks are no longer needed once both variants are stored.
      await rm(dir, { recursive: true, force: true });
      this.logger.log({ recordingId: id, seconds: result.durationSeconds }, 'recording composed');
      return { durationSeconds: result.durationSeconds };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const final = attempt >= (job.opts.attempts ?? 1);
      await this.recordings.failed(id, reason, final).catch(() => undefined);
      this.logger.warn({ recordingId: id, attempt, final, reason }, 'composing a recording failed');
      throw error;
    }
  }
}
