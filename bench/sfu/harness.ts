/**
 * What the SFU benches share (bench:sfu, bench:webinar): the synthetic host
 * (VP8 simulcast, 3 layers, + Opus over a PlainTransport, key frames on
 * PLI/FIR and every second), the small C receiver (rtp-receiver.c: one UDP
 * socket per simulated viewer, loss from RTP sequence numbers), and the
 * /proc readings (CPU time, run-queue wait, UDP buffer drops). Bench code only.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createSocket, Socket as UdpSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { types } from 'mediasoup';

// ---------- synthetic host ----------
export const VIDEO_PT = 101;
export const AUDIO_PT = 100;
export const LAYERS = [
  { ssrc: 0x11110001, width: 320, height: 180, fps: 15, packetsPerFrame: 1, size: 500 },
  { ssrc: 0x11110002, width: 640, height: 360, fps: 30, packetsPerFrame: 1, size: 900 },
  { ssrc: 0x11110003, width: 1280, height: 720, fps: 30, packetsPerFrame: 3, size: 1100 },
];
export const AUDIO = { ssrc: 0x22220001, pps: 50, size: 120 };

export class SyntheticHost {
  readonly sent = new Map<number, number>();
  private readonly seq = new Map<number, number>();
  private readonly socket: UdpSocket = createSocket('udp4');
  private frame = 0;
  private pictureId = 0;
  private keyFrameWanted = true;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly port: number) {}

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    // RTCP from the worker: a PLI (206/1) or FIR (206/4) asks for a key frame.
    this.socket.on('message', (msg) => {
      if (msg.length >= 2 && msg[1] === 206) this.keyFrameWanted = true;
    });
    const videoTick = 1000 / 30;
    this.timers.push(setInterval(() => this.sendVideoFrame(), videoTick));
    this.timers.push(setInterval(() => this.sendAudio(), 1000 / AUDIO.pps));
    this.timers.push(setInterval(() => (this.keyFrameWanted = true), 1000));
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.socket.close();
  }

  private rtp(ssrc: number, pt: number, timestamp: number, marker: boolean, payload: Buffer): Buffer {
    const seq = ((this.seq.get(ssrc) ?? Math.floor(Math.random() * 30000)) + 1) & 0xffff;
    this.seq.set(ssrc, seq);
    const header = Buffer.alloc(12);
    header[0] = 0x80;
    header[1] = (marker ? 0x80 : 0) | pt;
    header.writeUInt16BE(seq, 2);
    header.writeUInt32BE(timestamp >>> 0, 4);
    header.writeUInt32BE(ssrc, 8);
    this.sent.set(ssrc, (this.sent.get(ssrc) ?? 0) + 1);
    return Buffer.concat([header, payload]);
  }

  private sendVideoFrame(): void {
    this.frame += 1;
    this.pictureId = (this.pictureId + 1) & 0x7fff;
    const key = this.keyFrameWanted;
    this.keyFrameWanted = false;
    const timestamp = this.frame * 3000;
    for (const layer of LAYERS) {
      if (layer.fps === 15 && this.frame % 2 === 1 && !key) continue;
      for (let i = 0; i < layer.packetsPerFrame; i += 1) {
        const first = i === 0;
        // VP8 payload descriptor: X=1, S on the first packet, PictureID (15 bit).
        const descriptor = Buffer.from([
          first ? 0x90 : 0x80,
          0x80,
          0x80 | (this.pictureId >> 8),
          this.pictureId & 0xff,
        ]);
        const body = Buffer.alloc(layer.size - 16);
        if (first) {
          // VP8 frame tag: P=0 on key frames, then the key-frame start code and dimensions.
          body[0] = key ? 0x10 : 0x11;
          if (key) {
            body.set([0x9d, 0x01, 0x2a], 3);
            body.writeUInt16LE(layer.width, 6);
            body.writeUInt16LE(layer.height, 8);
          }
        }
        const packet = this.rtp(
          layer.ssrc,
          VIDEO_PT,
          timestamp,
          i === layer.packetsPerFrame - 1,
          Buffer.concat([descriptor, body]),
        );
        this.socket.send(packet, this.port, '127.0.0.1');
      }
    }
  }

  private audioTs = 0;
  private sendAudio(): void {
    this.audioTs += 960;
    this.socket.send(
      this.rtp(AUDIO.ssrc, AUDIO_PT, this.audioTs, false, Buffer.alloc(AUDIO.size - 12, 0xf8)),
      this.port,
      '127.0.0.1',
    );
  }
}

/** Viewers ask for what a browser viewer without congestion feedback would: no transport-cc/REMB. */
export function viewerCapabilities(router: types.Router): types.RtpCapabilities {
  return {
    codecs: (router.rtpCapabilities.codecs ?? []).map((codec) => ({
      ...codec,
      rtcpFeedback: (codec.rtcpFeedback ?? []).filter((fb) => fb.type === 'nack' || fb.type === 'ccm'),
    })),
    headerExtensions: [],
  };
}

export const HOST_RTCP_FEEDBACK = [
  { type: 'nack' },
  { type: 'nack', parameter: 'pli' },
  { type: 'ccm', parameter: 'fir' },
];

export function hostVideoParameters(): types.RtpParameters {
  return {
    codecs: [{ mimeType: 'video/VP8', payloadType: VIDEO_PT, clockRate: 90000, rtcpFeedback: HOST_RTCP_FEEDBACK }],
    encodings: LAYERS.map((layer) => ({ ssrc: layer.ssrc })),
  };
}

export function hostAudioParameters(): types.RtpParameters {
  return {
    codecs: [{ mimeType: 'audio/opus', payloadType: AUDIO_PT, clockRate: 48000, channels: 2 }],
    encodings: [{ ssrc: AUDIO.ssrc }],
  };
}

// ---------- measuring helpers ----------
export function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14, 15)
}
/** Time the process spent runnable but waiting for a CPU (ns), from /proc/<pid>/schedstat. */
export function runDelayNs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]);
}
/** Kernel-wide UDP receive-buffer drops (any socket on this host). */
export function udpRcvbufErrors(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'));
  const names = lines[0].split(/\s+/);
  return Number(lines[1].split(/\s+/)[names.indexOf('RcvbufErrors')]);
}
export const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export function buildReceiver(): string {
  const out = join(tmpdir(), `balai-rtp-receiver-${process.pid}`);
  execFileSync('gcc', ['-O2', '-o', out, join(__dirname, 'rtp-receiver.c')]);
  return out;
}

export interface ReceiverResult {
  packets: number;
  expected: number;
  received: number;
  starvedViewers: number;
  worstViewerLoss: number;
  windowMs: number;
}

export interface ReceiverRun {
  binary: string;
  count: number;
  basePort: number;
  warmupMs: number;
  windowMs: number;
  /** CPUs for taskset (-c); all CPUs when omitted. */
  cpus?: string;
  renice?: boolean;
  realtime?: boolean;
}

export function runReceiver(run: ReceiverRun): { ready: Promise<void>; done: Promise<ReceiverResult> } {
  const command = [
    ...(run.renice ? ['nice', '-n', '-10'] : []),
    ...(run.realtime ? ['chrt', '-f', '50'] : []),
    run.binary,
    String(run.basePort),
    String(run.count),
    String(run.warmupMs),
    String(run.windowMs),
  ];
  const child = run.cpus ? spawn('taskset', ['-c', run.cpus, ...command]) : spawn(command[0], command.slice(1));
  let out = '';
  let readyResolve: () => void = () => undefined;
  let readyReject: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    readyResolve = resolve;
    readyReject = reject;
  });
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('READY')) readyResolve();
  });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<ReceiverResult>((resolve, reject) =>
    child.on('exit', (code) => {
      readyReject(new Error(`receiver exited early (${code}): ${err}`));
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`receiver failed (${code}): ${err}`));
      else resolve(JSON.parse(line) as ReceiverResult);
    }),
  );
  return { ready, done };
}
