/**
 * Start/stop of a room's recording (host or moderator only), its status for
 * the room and for someone about to enter, and the safety checks: no ffmpeg
 * -> recording unavailable (with the reason); too little disk -> refused, or
 * stopped while running with a notice to the staff only, never the room.
 * The raw tracks go to RECORDING_SPOOL_DIR/<recordingId>; on stop the
 * recording is marked recorded and the worker's compose job is queued.
 * A course with autoRecord is recorded without anyone pressing the button
 * (see autoStart); every running recording's heartbeat is written so that a
 * node that dies leaves recordings the worker's sweep can close.
 */
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { execFile } from 'node:child_process';
import { mkdir, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { RecordingNotice, RecordingStatus, ServerEvent } from '@balai/live-contract';
import { RecordingProducer } from '@balai/queue';
import type { AuthUser } from '@balai/common';
import type { LiveAppEnv } from '../config/live-config';
import { WorkerPoolService } from '../media/worker-pool.service';
import type { Peer } from '../rooms/peer';
import type { Room } from '../rooms/room';
import { AdmissionService } from '../rooms/admission.service';
import { RoomRegistry } from '../rooms/room-registry.service';
import { badState, forbidden } from '../signalling/live.exception';
import { RoomNotifier } from '../signalling/room-notifier.service';
import { RecordingRepository } from './recording.repository';
import { SessionRecorder } from './session-recorder';

/** How often each recording is brought in step with its room (producer changes, a rebuilt router). */
const RECONCILE_MS = 500;
/** How often a running recording's heartbeat is written (the worker's sweep waits far longer). */
export const HEARTBEAT_MS = 5000;
/** How long a course's autoRecord is trusted before it is read again. */
const AUTO_RECORD_CACHE_MS = 10_000;
/** After an automatic start failed, the pause before the next try. */
const AUTO_RETRY_MS = 10_000;

@Injectable()
export class RecordingService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RecordingService.name);
  private readonly active = new Map<string, SessionRecorder>();
  private ffmpegMissing = false;
  private timer?: NodeJS.Timeout;
  private lastDiskCheck = 0;
  private lastHeartbeat = 0;
  private destroyed = false;
  /** Rooms whose staff stopped the recording by hand (autoRecord does not restart it there). */
  private readonly stoppedByStaff = new WeakSet<Room>();
  private readonly autoStarting = new Set<string>();
  private readonly autoFailedAt = new WeakMap<Room, number>();
  private readonly autoRecordCache = new Map<string, { expires: number; value: Promise<boolean> }>();
  private readonly onWorkerDied = () => setTimeout(() => void this.tick(), 50);

  constructor(
    private readonly config: ConfigService<LiveAppEnv, true>,
    private readonly registry: RoomRegistry,
    private readonly admission: AdmissionService,
    private readonly notifier: RoomNotifier,
    private readonly repository: RecordingRepository,
    private readonly producer: RecordingProducer,
    private readonly pool: WorkerPoolService,
  ) {}

  async onModuleInit(): Promise<void> {
    this.ffmpegMissing = !(await this.probeFfmpeg());
    if (this.ffmpegMissing) this.logger.warn({ ffmpeg: this.ffmpegPath }, 'ffmpeg not found: recording is unavailable');
    this.pool.on('worker-died', this.onWorkerDied);
    this.timer = setInterval(() => void this.tick(), RECONCILE_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.destroyed = true;
    this.pool.off('worker-died', this.onWorkerDied);
    clearInterval(this.timer);
    for (const recorder of [...this.active.values()]) await this.finish(recorder);
  }

  private get ffmpegPath(): string {
    return this.config.get('FFMPEG_PATH', { infer: true });
  }

  private get spoolDir(): string {
    return this.config.get('RECORDING_SPOOL_DIR', { infer: true });
  }

  private probeFfmpeg(): Promise<boolean> {
    return new Promise((resolve) => execFile(this.ffmpegPath, ['-version'], (error) => resolve(!error)));
  }

  /** Free bytes where the tracks are written (a method, so a test can simulate a full disk). */
  async freeBytes(): Promise<number> {
    await mkdir(this.spoolDir, { recursive: true });
    const stats = await statfs(this.spoolDir);
    return stats.bavail * stats.bsize;
  }

  private async diskFull(): Promise<boolean> {
    return (await this.freeBytes()) < this.config.get('RECORDING_MIN_FREE_MB', { infer: true }) * 1024 * 1024;
  }

  status(sessionId: string): RecordingStatus {
    const recorder = this.active.get(sessionId);
    return {
      recording: !!recorder,
      recordingId: recorder?.recordingId,
      startedAt: recorder ? new Date(recorder.manifest.startedAt).toISOString() : undefined,
      available: !this.ffmpegMissing,
      unavailableReason: this.ffmpegMissing ? 'ffmpeg-missing' : undefined,
    };
  }

  /** The running recorder of a session on this node (tests and the bench read its pids and gaps). */
  recorderOf(sessionId: string): SessionRecorder | undefined {
    return this.active.get(sessionId);
  }

  /** For someone not yet in the room: only people admitted to the session may ask. */
  async query(user: AuthUser, sessionId: string): Promise<RecordingStatus> {
    await this.admission.admit(user, sessionId);
    return this.status(sessionId);
  }

  async start(room: Room, peer: Peer): Promise<RecordingStatus> {
    if (!peer.isStaff) throw forbidden('only the host or a moderator may record');
    if (this.ffmpegMissing) throw badState('recording is unavailable on this server (ffmpeg-missing)');
    if (this.active.has(room.sessionId)) return this.status(room.sessionId);
    if (await this.diskFull()) throw badState('not enough disk space to record (disk-full)');
    this.stoppedByStaff.delete(room);
    return this.begin(room, peer.userId, false);
  }

  private async begin(room: Room, by: string, auto: boolean): Promise<RecordingStatus> {
    const startedAt = new Date();
    const recordingId = await this.repository.create({
      sessionId: room.sessionId,
      courseId: room.session.courseId,
      startedBy: by,
      startedAt,
      auto,
    });
    if (this.active.has(room.sessionId)) {
      // Another start (a host's, or the automatic one) won the race: this document is not needed.
      await this.repository.discard(recordingId);
      return this.status(room.sessionId);
    }
    const recorder = new SessionRecorder(
      room,
      recordingId,
      join(this.spoolDir, recordingId),
      this.ffmpegPath,
      {
        recorderDied: ({ stream, diskFull }) => {
          if (diskFull) void this.stopForDisk(room.sessionId);
          else
            this.toStaff(room, {
              reason: 'recorder-restarted',
              message: `the recorder of ${stream} stopped and was restarted; a short gap is noted`,
              recordingId,
            });
        },
      },
      startedAt.getTime(),
    );
    this.active.set(room.sessionId, recorder);
    await recorder.open();
    recorder.markStarted(Date.now());
    // Not awaited: each track's recorder process takes a moment to start (key frames are asked then).
    void recorder.reconcile();
    this.logger.log({ sessionId: room.sessionId, recordingId, by, auto }, 'recording started');
    const status = this.status(room.sessionId);
    this.notifier.toRoom(room.sessionId, ServerEvent.RecordingStatus, status);
    return status;
  }

  /**
   * A course with autoRecord records each of its rooms from the moment a host (or moderator) is in
   * it, including after a rebuild, unless the staff stopped it by hand in this room.
   */
  private async autoStart(): Promise<void> {
    if (this.ffmpegMissing || this.destroyed) return;
    for (const room of this.registry.all()) {
      if (room.closed || this.active.has(room.sessionId) || this.stoppedByStaff.has(room)) continue;
      if (this.autoStarting.has(room.sessionId)) continue;
      if (Date.now() - (this.autoFailedAt.get(room) ?? 0) < AUTO_RETRY_MS) continue;
      const host = [...room.peers.values()].find((p) => p.isStaff);
      if (!host) continue;
      this.autoStarting.add(room.sessionId);
      try {
        if (!(await this.courseAutoRecords(room.session.courseId))) continue;
        if (await this.diskFull()) continue;
        if (room.closed || this.active.has(room.sessionId) || this.registry.get(room.sessionId) !== room) continue;
        await this.begin(room, host.userId, true);
      } catch (error) {
        // Tried again after a pause, not on every tick (a database that is down would flood the log).
        this.autoFailedAt.set(room, Date.now());
        this.logger.warn({ err: error, sessionId: room.sessionId }, 'automatic recording did not start');
      } finally {
        this.autoStarting.delete(room.sessionId);
      }
    }
  }

  /** The course's autoRecord, read at most every AUTO_RECORD_CACHE_MS per course. */
  private courseAutoRecords(courseId: string): Promise<boolean> {
    const cached = this.autoRecordCache.get(courseId);
    if (cached && cached.expires > Date.now()) return cached.value;
    const value = this.repository.courseAutoRecords(courseId);
    this.autoRecordCache.set(courseId, { expires: Date.now() + AUTO_RECORD_CACHE_MS, value });
    value.catch(() => this.autoRecordCache.delete(courseId));
    if (this.autoRecordCache.size > 1000) {
      for (const [key, entry] of this.autoRecordCache)
        if (entry.expires <= Date.now()) this.autoRecordCache.delete(key);
    }
    return value;
  }

  /** The live node is alive: the worker's sweep closes recordings whose heartbeat is old. */
  private async heartbeat(): Promise<void> {
    if (Date.now() - this.lastHeartbeat < HEARTBEAT_MS || this.active.size === 0) return;
    this.lastHeartbeat = Date.now();
    const ids = [...this.active.values()].map((r) => r.recordingId);
    await this.repository.heartbeat(ids, new Date()).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'recording heartbeat not written');
    });
  }

  async stop(room: Room, peer: Peer): Promise<RecordingStatus> {
    if (!peer.isStaff) throw forbidden('only the host or a moderator may stop recording');
    const recorder = this.active.get(room.sessionId);
    if (!recorder) throw badState('the session is not being recorded');
    // An autoRecord course does not start again in this room once its staff stopped by hand.
    this.stoppedByStaff.add(room);
    await this.finish(recorder);
    return this.status(room.sessionId);
  }

  /** Stops, stores the stop and the gaps, queues composing, tells the room. */
  private async finish(recorder: SessionRecorder): Promise<void> {
    const sessionId = recorder.room.sessionId;
    if (this.active.get(sessionId) !== recorder) return;
    this.active.delete(sessionId);
    const manifest = await recorder.stop();
    try {
      await this.repository.stopped(recorder.recordingId, new Date(manifest.stoppedAt ?? Date.now()), manifest.gaps);
      await this.producer.compose(recorder.recordingId);
    } catch (error) {
      this.logger.error({ err: error, recordingId: recorder.recordingId }, 'recording stopped but not queued');
    }
    this.logger.log({ sessionId, recordingId: recorder.recordingId, gaps: manifest.gaps.length }, 'recording stopped');
    if (!recorder.room.closed) {
      try {
        this.notifier.toRoom(sessionId, ServerEvent.RecordingStatus, this.status(sessionId));
      } catch {
        // No socket server (shutting down): nobody to tell.
      }
    }
  }

  private async stopForDisk(sessionId: string): Promise<void> {
    const recorder = this.active.get(sessionId);
    if (!recorder) return;
    this.logger.error({ sessionId, recordingId: recorder.recordingId }, 'disk full: recording stopped');
    await this.finish(recorder);
    this.toStaff(recorder.room, {
      reason: 'disk-full',
      message: 'the server disk is full: the recording was stopped and what was recorded so far is kept',
      recordingId: recorder.recordingId,
    });
  }

  /** Only the host and moderators hear recorder problems, never the room. */
  private toStaff(room: Room, notice: RecordingNotice): void {
    for (const peer of room.peers.values()) {
      if (peer.isStaff) this.notifier.toSocket(peer.socket, ServerEvent.RecordingNotice, notice);
    }
  }

  /** Keeps every recording in step with its room; stops those whose room closed; checks the disk. */
  private async tick(): Promise<void> {
    const checkDisk = Date.now() - this.lastDiskCheck >= this.config.get('RECORDING_DISK_CHECK_MS', { infer: true });
    if (checkDisk) this.lastDiskCheck = Date.now();
    for (const [sessionId, recorder] of [...this.active]) {
      try {
        if (recorder.room.closed || this.registry.get(sessionId) !== recorder.room) {
          await this.finish(recorder);
          continue;
        }
        if (checkDisk && (await this.diskFull())) {
          await this.stopForDisk(sessionId);
          continue;
        }
        await recorder.reconcile();
      } catch (error) {
        this.logger.warn({ err: error, sessionId }, 'recording check failed');
      }
    }
    await this.heartbeat();
    await this.autoStart();
  }
}
