/**
 * One recorded track: a mediasoup consumer of one producer on its own
 * PlainTransport (comedia off, rtcp-mux) sending plain RTP to an ffmpeg
 * process on loopback that writes it as-is to a Matroska file. Nothing is
 * re-encoded while the session runs.
 *
 * A recorder process that dies unasked is restarted at once (a new segment
 * file on the same consumer, a key frame requested) and the gap is reported.
 * This class never throws out of its event handlers: problems become events.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { types } from 'mediasoup';
import type { MediaSource } from '@balai/live-contract';
import type { RecordedTrack } from '@balai/queue';
import { recorderArgs, recorderSdp } from './sdp';

export interface TrackRecorderOptions {
  router: types.Router;
  producer: types.Producer;
  stream: string;
  peerId: string;
  source: MediaSource;
  dir: string;
  /** File name stem, unique within the recording. */
  name: string;
  ffmpegPath: string;
}

export interface TrackRecorderEvents {
  /** A segment file was opened (the first, or one after a restart). */
  segment(track: RecordedTrack): void;
  /** The recorder process died unasked; it is being restarted. */
  died(info: { at: number; code: number | null; signal: string | null; diskFull: boolean }): void;
  /** The consumer went away (producer closed, router closed by a worker death). */
  ended(reason: 'producer-closed' | 'transport-closed'): void;
}

const BIND_WAIT_MS = 5000;

/** A free even UDP port whose odd neighbour is free too (ffmpeg opens port+1 for RTCP). */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 20000 + 2 * Math.floor(Math.random() * 4000);
    const ok = await Promise.all([port, port + 1].map((p) => canBind(p)));
    if (ok.every(Boolean)) return port;
  }
  throw new Error('no free UDP port pair for a recorder');
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/**
 * True once some process listens on UDP `port` (read from /proc/net/udp and udp6). A row starts with
 * its hash slot, right-aligned in 5 columns: slots of 10000 and more have no leading space, so the
 * row is trimmed before it is split (reading column 2 of the untrimmed row missed about a third of
 * the ports, and each such recorder waited BIND_WAIT_MS, 5 s, before its consumer was resumed).
 */
export async function isListening(port: number): Promise<boolean> {
  const suffix = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const table of ['/proc/net/udp', '/proc/net/udp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    if (text.split('\n').some((line) => line.trim().split(/\s+/)[1]?.endsWith(suffix) ?? false)) return true;
  }
  return false;
}

export class TrackRecorder {
  readonly tracks: RecordedTrack[] = [];
  private transport?: types.PlainTransport;
  private consumer?: types.Consumer;
  private process?: ChildProcess;
  private port = 0;
  private segment = 0;
  private stopping = false;
  private ended = false;
  private stderrTail = '';
  /** Start-up timing of the current segment, epoch ms (the recording's start latency, logged once it receives). */
  private timing: { spawned: number; listening?: number; resumed?: number } = { spawned: 0 };

  constructor(
    private readonly options: TrackRecorderOptions,
    private readonly events: TrackRecorderEvents,
  ) {}

  /** How long the current segment took from ffmpeg's spawn to listening, to resume, to its first packet. */
  startup?: { listenMs: number; resumeMs: number; firstPacketMs: number };

  get producerId(): string {
    return this.options.producer.id;
  }

  get stream(): string {
    return this.options.stream;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** The current segment has had its first packet. */
  get receiving(): boolean {
    const track = this.tracks[this.tracks.length - 1];
    return !!track && track.firstPacketAt !== null;
  }

  get active(): boolean {
    return !this.ended && !this.stopping;
  }

  async start(): Promise<void> {
    const { router, producer } = this.options;
    if (this.stopping) return;
    this.transport = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: false,
    });
    this.consumer = await this.transport.consume({
      producerId: producer.id,
      rtpCapabilities: router.rtpCapabilities,
      paused: true,
      enableRtx: false,
    });
    this.consumer.on('producerclose', () => this.end('producer-closed'));
    this.consumer.on('transportclose', () => this.end('transport-closed'));
    this.consumer.on('trace', (trace) => this.onTrace(trace));
    this.port = await freePortPair();
    await this.transport.connect({ ip: '127.0.0.1', port: this.port });
    await this.openSegment();
  }

  /** A new ffmpeg on the same port and consumer, writing a new segment file. */
  private async openSegment(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer || consumer.closed || this.stopping) return;
    this.segment += 1;
    const stem = `${this.options.name}-${this.segment}`;
    const sdpPath = join(this.options.dir, `${stem}.sdp`);
    const file = `${stem}.mkv`;
    const codec = consumer.rtpParameters.codecs[0];
    await writeFile(sdpPath, recorderSdp(consumer.kind, codec, this.port));
    const child = spawn(this.options.ffmpegPath, recorderArgs(sdpPath, join(this.options.dir, file)), {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.process = child;
    this.timing = { spawned: Date.now() };
    this.stderrTail = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-2000);
    });
    child.once('error', () => undefined); // ENOENT etc. also ends in 'exit'/'close'
    child.once('close', (code, signal) => this.onExit(child, code, signal));
    const track: RecordedTrack = {
      file,
      kind: consumer.kind,
      stream: this.options.stream,
      producerId: this.options.producer.id,
      peerId: this.options.peerId,
      source: this.options.source,
      firstPacketAt: null,
      endedAt: null,
    };
    this.tracks.push(track);
    this.events.segment(track);
    // Packets sent before ffmpeg listens would be lost: resume once its socket is bound.
    const deadline = Date.now() + BIND_WAIT_MS;
    while (!(await isListening(this.port)) && Date.now() < deadline && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.timing.listening = Date.now();
    if (this.stopping) child.kill('SIGINT');
    if (consumer.closed || this.process !== child || child.exitCode !== null) return;
    await consumer.enableTraceEvent(['rtp']);
    await consumer.resume();
    this.timing.resumed = Date.now();
    await this.requestKeyFrame();
  }

  async requestKeyFrame(): Promise<void> {
    if (this.consumer?.kind === 'video' && !this.consumer.closed) {
      await this.consumer.requestKeyFrame().catch(() => undefined);
    }
  }

  private onTrace(trace: types.ConsumerTraceEventData): void {
    if (trace.type !== 'rtp') return;
    const track = this.tracks[this.tracks.length - 1];
    if (track && track.firstPacketAt === null) {
      track.firstPacketAt = Date.now();
      const { spawned, listening, resumed } = this.timing;
      this.startup = {
        listenMs: (listening ?? spawned) - spawned,
        resumeMs: (resumed ?? spawned) - spawned,
        firstPacketMs: track.firstPacketAt - spawned,
      };
    }
    void this.consumer?.enableTraceEvent([]).catch(() => undefined);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    const track = this.tracks[this.tracks.length - 1];
    if (track && track.endedAt === null) track.endedAt = Date.now();
    if (this.process !== child || this.stopping || this.ended) return;
    const diskFull = /No space left on device/i.test(this.stderrTail);
    this.events.died({ at: Date.now(), code, signal, diskFull });
    if (diskFull) return;
    // Restart: pause so nothing is sent to a closed port, then a fresh process and a key frame.
    void (async () => {
      await this.consumer?.pause().catch(() => undefined);
      await this.openSegment();
    })().catch(() => this.end('transport-closed'));
  }

  private end(reason: 'producer-closed' | 'transport-closed'): void {
    if (this.ended || this.stopping) return;
    this.ended = true;
    void this.stop();
    this.events.ended(reason);
  }

  /** Ends the track: ffmpeg finishes its file (SIGINT), the consumer and transport close. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.process;
    // SIGINT while packets still flow: ffmpeg finishes the file at its next read; the transport closes after.
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
    this.transport?.close();
    const track = this.tracks[this.tracks.length - 1];
    if (track && track.endedAt === null) track.endedAt = Date.now();
  }
}
