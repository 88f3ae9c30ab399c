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
import { MediaService } from '../../../apps/live/src/media/media.service';
import { Peer } from '../../../apps/live/src/rooms/peer';
import { Room } from '../../../apps/live/src/rooms/room';
import { RoomRegistry } from '../../../apps/live/src/rooms/room-registry.service';
import { eventually } from '../../support/wait';
import { RunningLive, startLiveApp } from '../../support/live-app';
import { fakeSocket, Host, HOST_AUDIO, HOST_VIDEO, plainViewerCaps, Receiver } from './support/cascade-rtp';

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
    const video = await media.attachProducer(room, hostPeer, ingress, {
      kind: 'video',
      source: 'camera',
      rtpParameters: HOST_VIDEO,
    });
    const audio = await media.attachProducer(room, hostPeer, ingress, {
      kind: 'audio',
      source: 'mic',
      rtpParameters: HOST_AUDIO,
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
    const caps = plainViewerCaps(room.router);
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
