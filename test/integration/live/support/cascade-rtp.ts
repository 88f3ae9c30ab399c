/**
 * Synthetic RTP for the cascade tests: a host sending VP8 simulcast (3 layers)
 * and Opus that sends a key frame only when asked (RTCP PLI/FIR), a receiver
 * counting RTP per payload type, and a socket stand-in that records what the
 * server tells a peer.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, Socket as UdpSocket } from 'node:dgram';
import type { types } from 'mediasoup';

export const LAYERS = [
  { ssrc: 0x11110001, width: 320, height: 180, size: 500 },
  { ssrc: 0x11110002, width: 640, height: 360, size: 800 },
  { ssrc: 0x11110003, width: 1280, height: 720, size: 1100 },
];
export const AUDIO_SSRC = 0x22220001;

/** Sends 30 fps VP8 simulcast + 50 pps Opus; a key frame only after an RTCP PLI/FIR. */
export class Host {
  readonly socket: UdpSocket = createSocket('udp4');
  keyFrameRequests = 0;
  private keyWanted = false;
  private seq = new Map<number, number>();
  private frame = 0;
  private timers: NodeJS.Timeout[] = [];

  async start(port: number): Promise<void> {
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    this.socket.on('message', (msg) => {
      if (msg.length >= 2 && msg[1] === 206) {
        this.keyFrameRequests += 1;
        this.keyWanted = true;
      }
    });
    this.timers.push(setInterval(() => this.video(port), 33));
    this.timers.push(setInterval(() => this.audio(port), 20));
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.socket.close();
  }

  private rtp(ssrc: number, pt: number, ts: number, marker: boolean, payload: Buffer): Buffer {
    const seq = ((this.seq.get(ssrc) ?? 1000) + 1) & 0xffff;
    this.seq.set(ssrc, seq);
    const header = Buffer.alloc(12);
    header[0] = 0x80;
    header[1] = (marker ? 0x80 : 0) | pt;
    header.writeUInt16BE(seq, 2);
    header.writeUInt32BE(ts >>> 0, 4);
    header.writeUInt32BE(ssrc, 8);
    return Buffer.concat([header, payload]);
  }

  private video(port: number): void {
    this.frame += 1;
    const key = this.keyWanted;
    this.keyWanted = false;
    const pictureId = this.frame & 0x7fff;
    for (const layer of LAYERS) {
      const descriptor = Buffer.from([0x90, 0x80, 0x80 | (pictureId >> 8), pictureId & 0xff]);
      const body = Buffer.alloc(layer.size - 16);
      body[0] = key ? 0x10 : 0x11;
      if (key) {
        body.set([0x9d, 0x01, 0x2a], 3);
        body.writeUInt16LE(layer.width, 6);
        body.writeUInt16LE(layer.height, 8);
      }
      const packet = this.rtp(layer.ssrc, 101, this.frame * 3000, true, Buffer.concat([descriptor, body]));
      this.socket.send(packet, port, '127.0.0.1');
    }
  }

  private audioTs = 0;
  private audio(port: number): void {
    this.audioTs += 960;
    this.socket.send(this.rtp(AUDIO_SSRC, 100, this.audioTs, false, Buffer.alloc(100, 0xf8)), port, '127.0.0.1');
  }
}

/** Counts RTP per payload type and remembers the last video packet sizes. */
export class Receiver {
  readonly socket: UdpSocket = createSocket('udp4');
  video = 0;
  audio = 0;
  lastVideoSizes: number[] = [];

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    this.socket.on('message', (msg) => {
      if (msg.length < 12 || (msg[1] >= 192 && msg[1] <= 223)) return; // RTCP (RFC 5761)
      const pt = msg[1] & 0x7f;
      if (pt === 101) {
        this.video += 1;
        this.lastVideoSizes = [...this.lastVideoSizes.slice(-19), msg.length];
      } else if (pt === 100) this.audio += 1;
    });
    return this.socket.address().port;
  }

  stop(): void {
    this.socket.close();
  }
}

export function fakeSocket(events: Array<{ event: string; payload: unknown }>) {
  const socket = {
    id: randomBytes(6).toString('hex'),
    data: {},
    connected: true,
    emit: (event: string, payload: unknown) => {
      events.push({ event, payload });
      return true;
    },
    to: () => ({ emit: () => true }),
    join: () => undefined,
    leave: () => undefined,
    disconnect: () => undefined,
  };
  return socket as never;
}

const rtcpFeedback = [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }];

export const HOST_VIDEO: types.RtpParameters = {
  codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000, rtcpFeedback }],
  encodings: LAYERS.map(({ ssrc }) => ({ ssrc })),
};
export const HOST_AUDIO: types.RtpParameters = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc: AUDIO_SSRC }],
};

/** What a PlainTransport viewer without congestion feedback asks for. */
export function plainViewerCaps(router: types.Router): types.RtpCapabilities {
  return {
    codecs: (router.rtpCapabilities.codecs ?? []).map((codec) => ({
      ...codec,
      rtcpFeedback: (codec.rtcpFeedback ?? []).filter((fb) => fb.type === 'nack' || fb.type === 'ccm'),
    })),
    headerExtensions: [],
  };
}
