/**
 * Media through the cascade's pipes (issue 14), with real RTP: a synthetic
 * host sends VP8 simulcast (3 layers) and Opus into the origin over a
 * PlainTransport, a viewer placed on a fan-out router receives on its own
 * PlainTransport. The host sends a key frame only when asked (RTCP PLI/FIR),
 * so the viewer's video starting proves the key-frame request crossed the
 * pipe; the layer policy's choice (a 320 px tile) switches the fan-out
 * consumer to the lowest layer; the producer's pause/resume reach the viewer.
 */
process.env.MEDIASOUP_NUM_WORKERS = '2';
process.env.LIVE_ROUTER_CONSUMER_BUDGET = '2';

import { randomBytes } from 'node:crypto';
import { createSocket, Socket as UdpSocket } from 'node:dgram';
import type { types } from 'mediasoup';
import { MediaService } from '../../../apps/live/src/media/media.service';
import { Peer } from '../../../apps/live/src/rooms/peer';
import { Room } from '../../../apps/live/src/rooms/room';
import { RoomRegistry } from '../../../apps/live/src/rooms/room-registry.service';
import { eventually } from '../../support/wait';
import { RunningLive, startLiveApp } from '../../support/live-app';

const LAYERS = [
  { ssrc: 0x11110001, width: 320, height: 180, size: 500 },
  { ssrc: 0x11110002, width: 640, height: 360, size: 800 },
  { ssrc: 0x11110003, width: 1280, height: 720, size: 1100 },
];
const AUDIO_SSRC = 0x22220001;

/** Sends 30 fps VP8 simulcast + 50 pps Opus; a key frame only after an RTCP PLI/FIR. */
class Host {
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
class Receiver {
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

function fakeSocket(events: Array<{ event: string; payload: unknown }>) {
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

describe('media through the cascade pipes', () => {
  let live: RunningLive;
  let room: Room;
  let host: Host;
  let receiver: Receiver;

  beforeAll(async () => {
    live = await startLiveApp();
  });
  afterAll(async () => {
    host?.stop();
    receiver?.stop();
    if (room) await live.app.get(RoomRegistry).close(room);
    await live?.close();
  });

  it('delivers audio and video to a fan-out viewer, with key frames, layers and pause through the pipe', async () => {
    const registry = live.app.get(RoomRegistry);
    const media = live.app.get(MediaService);
    room = await registry.getOrCreate({
      sessionId: randomBytes(12).toString('hex'),
      courseId: randomBytes(12).toString('hex'),
      startsAt: new Date(),
      endsAt: new Date(Date.now() + 3600_000),
    });
    const hostPeer = new Peer(fakeSocket([]), 'host', 'Host', 'host');
    room.peers.set(hostPeer.peerId, hostPeer);
    const ingress = await room.router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: true,
    });
    const rtcpFeedback = [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }];
    const video = await media.attachProducer(room, hostPeer, ingress, {
      kind: 'video',
      source: 'camera',
      rtpParameters: {
        codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000, rtcpFeedback }],
        encodings: LAYERS.map(({ ssrc }) => ({ ssrc })),
      },
    });
    const audio = await media.attachProducer(room, hostPeer, ingress, {
      kind: 'audio',
      source: 'mic',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: AUDIO_SSRC }],
      },
    });
    host = new Host();
    await host.start(ingress.tuple.localPort);

    // The first viewer fills the origin (budget 2); the second is placed on a fan-out.
    const first = new Peer(fakeSocket([]), 'first', 'First', 'participant');
    room.peers.set(first.peerId, first);
    await room.cascade.placeReceiver(first.peerId, 2);
    const events: Array<{ event: string; payload: unknown }> = [];
    const viewer = new Peer(fakeSocket(events), 'viewer', 'Viewer', 'participant');
    room.peers.set(viewer.peerId, viewer);
    const { router } = await room.cascade.placeReceiver(viewer.peerId, 2);
    expect(router).not.toBe(room.router);
    expect(router.appData.workerPid).not.toBe(room.router.appData.workerPid);

    receiver = new Receiver();
    const port = await receiver.start();
    const transport = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: false,
      appData: { routerId: router.id },
    });
    await transport.connect({ ip: '127.0.0.1', port });
    const caps: types.RtpCapabilities = {
      codecs: (room.router.rtpCapabilities.codecs ?? []).map((codec) => ({
        ...codec,
        rtcpFeedback: (codec.rtcpFeedback ?? []).filter((fb) => fb.type === 'nack' || fb.type === 'ccm'),
      })),
      headerExtensions: [],
    };
    const v = await media.attachConsumer(room, viewer, transport, video.id, caps);
    const a = await media.attachConsumer(room, viewer, transport, audio.id, caps);
    expect(room.cascade.view().fanouts[0].pipes.sort()).toEqual([video.id, audio.id].sort());

    // Let the pipe's own start-up key frame pass: from here on only the fan-out consumer asks for one.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const requestsBefore = host.keyFrameRequests;
    await media.resumeConsumer(viewer, v.consumerId);
    await media.resumeConsumer(viewer, a.consumerId);
    await eventually(
      () => ({ video: receiver.video, audio: receiver.audio, pli: host.keyFrameRequests }),
      (seen) => seen.video > 30 && seen.audio > 20 && seen.pli > requestsBefore,
      10_000,
    );

    // A 320 px tile: the fan-out consumer goes to the lowest layer (500-byte packets from the host).
    await media.reportViewport(viewer, { consumerId: v.consumerId, width: 320, height: 180 });
    const consumer = viewer.consumers.get(v.consumerId)!.consumer;
    await eventually(
      () => consumer.currentLayers?.spatialLayer,
      (layer) => layer === 0,
      10_000,
    );
    await eventually(
      () => receiver.lastVideoSizes,
      (sizes) => sizes.length >= 10 && sizes.slice(-5).every((size) => size < 600),
      10_000,
    );
    expect(events.some((e) => e.event === 'consumer:layers')).toBe(true);

    // Pause and resume of the producer on the origin reach the fan-out viewer.
    await video.pause();
    await eventually(
      () => events.filter((e) => e.event === 'producer:paused').map((e) => e.payload),
      (list) => list.length === 1,
    );
    const pausedAt = receiver.video;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.video - pausedAt).toBeLessThan(5);
    await video.resume();
    await eventually(
      () => receiver.video,
      (count) => count > pausedAt + 10,
      10_000,
    );
    expect(events.filter((e) => e.event === 'producer:paused').map((e) => e.payload)).toEqual([
      { producerId: video.id, paused: true },
      { producerId: video.id, paused: false },
    ]);
  });
});
