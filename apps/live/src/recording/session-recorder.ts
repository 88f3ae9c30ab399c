/**
 * The recording of one room: which producers are recorded right now, kept in
 * step with the room by `reconcile()` (on a 500 ms timer, and at once on
 * start and after a worker death). Recorded: the stage (a screen share when there is one, else a
 * host's camera, else the active speaker's, else any camera) and every
 * microphone. A stage switch opens a track of the new producer with a key
 * frame requested and ends the old one once the new one receives; the
 * manifest records when, so the composer switches the picture there.
 *
 * After a mediasoup worker death the room gets a new router and the clients
 * publish again: the next reconcile records the new producers, and the time
 * in between is a gap of the streams that were cut.
 */
import { Logger } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { types } from 'mediasoup';
import { RECORDING_MANIFEST_FILE, RecordedGap, RecordingManifest } from '@balai/queue';
import type { Room } from '../rooms/room';
import { TrackRecorder } from './track-recorder';

export interface SessionRecorderHooks {
  /** A recorder died and was restarted (or could not be, on a full disk). */
  recorderDied(info: { stream: string; diskFull: boolean; at: number }): void;
}

const STAGE_OVERLAP_MS = 5000;

interface Candidate {
  producer: types.Producer;
  peerId: string;
  source: 'camera' | 'mic' | 'screen';
  role: string;
}

/**
 * What the stage shows: a screen share when there is one, else a host's camera, else the active
 * speaker's camera, else any camera. Pure (unit-tested).
 */
export function pickStage<C extends { producer: { kind: string }; peerId: string; source: string; role: string }>(
  candidates: C[],
  activeSpeakerPeerId: string | null,
): C | undefined {
  const video = candidates.filter((c) => c.producer.kind === 'video');
  return (
    video.find((c) => c.source === 'screen') ??
    video.find((c) => c.source === 'camera' && c.role === 'host') ??
    video.find((c) => c.source === 'camera' && c.peerId === activeSpeakerPeerId) ??
    video.find((c) => c.source === 'camera')
  );
}

export class SessionRecorder {
  private readonly logger = new Logger(SessionRecorder.name);
  readonly manifest: RecordingManifest;
  private readonly recorders = new Map<string, TrackRecorder>();
  /** Streams cut abnormally, waiting for their next track to close the gap. */
  private readonly openGaps = new Map<string, { from: number; reason: RecordedGap['reason'] }>();
  /** Stage tracks being replaced, since when (see reconcileNow). */
  private readonly retiring = new Map<string, number>();
  private chain: Promise<void> = Promise.resolve();
  private counter = 0;
  private stopped = false;

  constructor(
    readonly room: Room,
    readonly recordingId: string,
    readonly dir: string,
    private readonly ffmpegPath: string,
    private readonly hooks: SessionRecorderHooks,
    startedAt: number,
  ) {
    this.manifest = {
      recordingId,
      sessionId: room.sessionId,
      courseId: room.session.courseId,
      startedAt,
      stoppedAt: null,
      tracks: [],
      gaps: [],
    };
  }

  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  /** The recording counts from the moment its first tracks are running (the start's ack). */
  markStarted(at: number): void {
    this.manifest.startedAt = at;
    void this.writeManifest();
  }

  /** Process ids of the running recorders (the bench measures their CPU; tests kill one). */
  recorderPids(): Array<{ stream: string; pid: number }> {
    return [...this.recorders.values()]
      .filter((r) => r.pid !== undefined)
      .map((r) => ({ stream: r.stream, pid: r.pid as number }));
  }

  /** Start-up timing of each running track (see TrackRecorder.startup), for tests and the bench. */
  startupTimings(): Array<{ stream: string; listenMs: number; resumeMs: number; firstPacketMs: number }> {
    return [...this.recorders.values()].flatMap((r) => (r.startup ? [{ stream: r.stream, ...r.startup }] : []));
  }

  get gaps(): RecordedGap[] {
    return this.manifest.gaps;
  }

  /** Serialised: two producer events at once never start the same track twice. */
  reconcile(): Promise<void> {
    this.chain = this.chain
      .then(() => this.reconcileNow())
      .catch((error: unknown) => {
        this.logger.warn({ err: error, recordingId: this.recordingId }, 'recording reconcile failed; retrying soon');
      });
    return this.chain;
  }

  private candidates(): Candidate[] {
    const list: Candidate[] = [];
    for (const peer of this.room.peers.values()) {
      for (const { producer, source } of peer.producers.values()) {
        if (!producer.closed) list.push({ producer, peerId: peer.peerId, source, role: peer.role });
      }
    }
    return list;
  }

  private stage(candidates: Candidate[]): Candidate | undefined {
    return pickStage(candidates, this.room.activeSpeakerPeerId);
  }

  private async reconcileNow(): Promise<void> {
    if (this.stopped) return;
    const router = this.room.router;
    if (router.closed || this.room.closed) return;
    const candidates = this.candidates();
    const wanted = new Map<string, Candidate & { stream: string }>();
    const stage = this.stage(candidates);
    if (stage) wanted.set(stage.producer.id, { ...stage, stream: 'stage' });
    for (const c of candidates)
      if (c.source === 'mic') wanted.set(c.producer.id, { ...c, stream: `audio:${c.peerId}` });

    const newStage = stage ? this.recorders.get(stage.producer.id) : undefined;
    for (const [producerId, recorder] of this.recorders) {
      if (wanted.has(producerId) && recorder.active) continue;
      // A replaced stage track runs on until the new one has its first packet (its ffmpeg takes a
      // moment to start), at most STAGE_OVERLAP_MS: a switch leaves no black gap, and the composer
      // cuts at the new track's first packet.
      if (recorder.active && recorder.stream === 'stage' && stage) {
        const since = this.retiring.get(producerId) ?? Date.now();
        this.retiring.set(producerId, since);
        if (!newStage?.receiving && Date.now() - since < STAGE_OVERLAP_MS) continue;
      }
      this.retiring.delete(producerId);
      this.recorders.delete(producerId);
      await recorder.stop();
    }
    let changed = false;
    const starting: Array<Promise<void>> = [];
    for (const [producerId, c] of wanted) {
      if (this.recorders.has(producerId)) continue;
      const recorder = new TrackRecorder(
        {
          router,
          producer: c.producer,
          stream: c.stream,
          peerId: c.peerId,
          source: c.source,
          dir: this.dir,
          name: `${c.stream.replace(':', '-')}-${++this.counter}`,
          ffmpegPath: this.ffmpegPath,
        },
        {
          segment: (track) => {
            this.manifest.tracks.push(track);
            const gap = this.openGaps.get(track.stream);
            if (gap) {
              this.openGaps.delete(track.stream);
              // Closed when this track's first packet is known (see closeGaps).
              this.pendingGaps.push({ stream: track.stream, reason: gap.reason, from: gap.from, track });
            }
            void this.writeManifest();
          },
          died: ({ at, diskFull, code, signal }) => {
            this.logger.warn(
              { recordingId: this.recordingId, stream: c.stream, code, signal, diskFull },
              'recorder process died; restarting it',
            );
            if (!diskFull) this.openGaps.set(c.stream, { from: at, reason: 'recorder-died' });
            this.hooks.recorderDied({ stream: c.stream, diskFull, at });
          },
          ended: (reason) => {
            if (reason === 'transport-closed' && !this.stopped) {
              // The router went away under the recording: a mediasoup worker died.
              if (!this.openGaps.has(c.stream))
                this.openGaps.set(c.stream, { from: Date.now(), reason: 'worker-died' });
            }
            this.recorders.delete(producerId);
            void this.reconcile();
          },
        },
      );
      this.recorders.set(producerId, recorder);
      changed = true;
      // Tracks start side by side: each waits for its own ffmpeg to listen.
      starting.push(
        recorder.start().catch(async (error: unknown) => {
          this.recorders.delete(producerId);
          await recorder.stop();
          if (!router.closed) throw error;
        }),
      );
    }
    await Promise.all(starting);
    this.closeGaps();
    if (changed) await this.writeManifest();
  }

  private readonly pendingGaps: Array<{
    stream: string;
    reason: RecordedGap['reason'];
    from: number;
    track: { firstPacketAt: number | null };
  }> = [];

  /** A gap ends when the next track of its stream got its first packet. */
  private closeGaps(final = false): void {
    for (const pending of [...this.pendingGaps]) {
      const to = pending.track.firstPacketAt ?? (final ? Date.now() : null);
      if (to === null) continue;
      this.pendingGaps.splice(this.pendingGaps.indexOf(pending), 1);
      const gap: RecordedGap = { stream: pending.stream, reason: pending.reason, from: pending.from, to };
      this.manifest.gaps.push(gap);
      this.logger.warn({ recordingId: this.recordingId, ...gap, ms: to - pending.from }, 'recording gap');
    }
    if (final) {
      for (const [stream, open] of this.openGaps) {
        this.manifest.gaps.push({ stream, reason: open.reason, from: open.from, to: Date.now() });
      }
      this.openGaps.clear();
    }
  }

  /** Key frames for the stage (a client's new stage, a recorder restart). */
  async requestKeyFrames(): Promise<void> {
    for (const recorder of this.recorders.values()) await recorder.requestKeyFrame();
  }

  async stop(): Promise<RecordingManifest> {
    this.stopped = true;
    // The recording ends when the stop is asked, not when the last recorder process has exited.
    const stoppedAt = Date.now();
    await this.chain;
    await Promise.all([...this.recorders.values()].map((r) => r.stop()));
    this.recorders.clear();
    this.manifest.stoppedAt = stoppedAt;
    this.closeGaps(true);
    await this.writeManifest();
    return this.manifest;
  }

  private async writeManifest(): Promise<void> {
    await writeFile(join(this.dir, RECORDING_MANIFEST_FILE), JSON.stringify(this.manifest, null, 2)).catch(
      (error: unknown) => this.logger.warn({ err: error, recordingId: this.recordingId }, 'manifest not written'),
    );
  }
}
