/**
 * The recordings sweep, at the worker's start and every RECORDING_SWEEP_MS:
 * - retention: recordings past their expiresAt (RECORDING_RETENTION_DAYS after
 *   they started) lose their files (GridFS or directory) and then their document;
 * - dead live nodes: a recording still `recording` whose live node has not written
 *   its heartbeat for RECORDING_STALE_MS is closed at its last spooled data, with a
 *   `live-node-died` gap, and composed from what was spooled; with nothing usable
 *   spooled it is marked failed with the reason (shown to staff).
 * Every step is guarded or idempotent, so two workers sweeping at once do no harm.
 */
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RECORDING_MANIFEST_FILE, RecordingManifest, RecordingProducer } from '@balai/queue';
import type { Recording } from '@balai/database';
import type { RecordingWorkerEnv } from './recording.config';
import { RecordingRepository } from './recording.repository';
import { RecordingStore } from './recording.store';

export interface SweepResult {
  expired: number;
  closed: number;
  failed: number;
}

@Injectable()
export class RecordingSweep implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RecordingSweep.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<SweepResult>;

  constructor(
    private readonly recordings: RecordingRepository,
    private readonly store: RecordingStore,
    private readonly producer: RecordingProducer,
    private readonly config: ConfigService<RecordingWorkerEnv, true>,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.config.get('RECORDING_SWEEP_MS', { infer: true }));
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass (never two at once in this process). */
  sweep(now = new Date()): Promise<SweepResult> {
    this.running ??= this.sweepNow(now)
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'recordings sweep failed; next time');
        return { expired: 0, closed: 0, failed: 0 };
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private get spoolDir(): string {
    return this.config.get('RECORDING_SPOOL_DIR', { infer: true });
  }

  private async sweepNow(now: Date): Promise<SweepResult> {
    const result: SweepResult = { expired: 0, closed: 0, failed: 0 };
    for (const recording of await this.recordings.expired(now)) {
      for (const v of recording.variants ?? [])
        await this.store.remove({ store: v.store ?? 'gridfs', storageKey: v.storageKey });
      await rm(join(this.spoolDir, String(recording._id)), { recursive: true, force: true });
      await this.recordings.delete(String(recording._id));
      result.expired += 1;
      this.logger.log(
        { recordingId: String(recording._id), expiresAt: recording.expiresAt },
        'recording expired and deleted',
      );
    }
    const cutoff = new Date(now.getTime() - this.config.get('RECORDING_STALE_MS', { infer: true }));
    for (const recording of await this.recordings.stale(cutoff)) {
      const outcome = await this.closeStale(recording, now);
      if (outcome) result[outcome] += 1;
    }
    return result;
  }

  /** A recording left by a live node that died: composed from what it spooled, or failed with the reason. */
  private async closeStale(recording: Recording, now: Date): Promise<'closed' | 'failed' | null> {
    const id = String(recording._id);
    const dir = join(this.spoolDir, id);
    const lastBeat = recording.heartbeatAt ?? recording.startedAt;
    const manifest = await readFile(join(dir, RECORDING_MANIFEST_FILE), 'utf8')
      .then((text) => JSON.parse(text) as RecordingManifest)
      .catch(() => null);
    // The last data written: the newest track file's modification time (clusters are flushed every second).
    let lastData = 0;
    let usable = 0;
    for (const track of manifest?.tracks ?? []) {
      const info = await stat(join(dir, track.file)).catch(() => null);
      if (!info || info.size === 0 || track.firstPacketAt === null) continue;
      usable += 1;
      lastData = Math.max(lastData, info.mtimeMs);
    }
    if (!manifest || usable === 0) {
      const reason =
        `the live node stopped during the recording (no heartbeat since ${lastBeat.toISOString()}) ` +
        'and nothing usable was spooled';
      if (!(await this.recordings.failStale(id, reason, lastBeat))) return null;
      await rm(dir, { recursive: true, force: true });
      this.logger.warn({ recordingId: id, lastBeat }, 'recording of a dead live node failed: nothing spooled');
      return 'failed';
    }
    const stoppedAt = Math.max(manifest.startedAt, Math.round(lastData));
    manifest.stoppedAt = stoppedAt;
    for (const track of manifest.tracks) if (track.endedAt === null) track.endedAt = stoppedAt;
    manifest.gaps.push({ stream: 'all', reason: 'live-node-died', from: stoppedAt, to: now.getTime() });
    await writeFile(join(dir, RECORDING_MANIFEST_FILE), JSON.stringify(manifest, null, 2));
    if (!(await this.recordings.closeStale(id, new Date(stoppedAt), manifest.gaps))) return null;
    await this.producer.compose(id);
    this.logger.warn(
      { recordingId: id, lastBeat, stoppedAt: new Date(stoppedAt) },
      'recording of a dead live node closed at its last data and queued for composing',
    );
    return 'closed';
  }
}
