/**
 * One session served by two live nodes (issue 14, across nodes): node A owns
 * the session (the host joined there); a participant connected to node B is
 * admitted by A and B becomes an edge: its own router, fed from A's origin
 * over NodePipes when a local consumer needs a producer. Real RTP from a
 * synthetic host on A reaches a viewer on B; the room's state (peers, chat,
 * hands, speak grants, removal) crosses both ways over the socket contract;
 * 50 joins and leaves on the edge leave no transport, pipe or stand-in behind.
 */
import { randomBytes } from 'node:crypto';
import type { types } from 'mediasoup';
import { LiveErrorCode } from '@balai/live-contract';
import { eventually } from '../../support/wait';
import { LiveClient, RunningLive } from '../../support/live-app';
import { Host, HOST_AUDIO, HOST_VIDEO, plainViewerCaps, Receiver } from './support/cascade-rtp';

type Classes = {
  RoomRegistry: typeof import('../../../apps/live/src/rooms/room-registry.service').RoomRegistry;
  MediaService: typeof import('../../../apps/live/src/media/media.service').MediaService;
  NodePipes: typeof import('../../../apps/live/src/cluster/node-pipes.service').NodePipes;
  EdgeRelay: typeof import('../../../apps/live/src/cluster/edge-relay.service').EdgeRelay;
  WorkerPoolService: typeof import('../../../apps/live/src/media/worker-pool.service').WorkerPoolService;
};

async function startNode(nodeId: string): Promise<{ live: RunningLive; c: Classes }> {
  let result: { live: RunningLive; c: Classes } | undefined;
  // Each node gets its own copy of the app modules, so each reads its own LIVE_NODE_ID.
  await jest.isolateModulesAsync(async () => {
    process.env.LIVE_NODE_ID = nodeId;
    const { startLiveApp } = await import('../../support/live-app');
    const live = await startLiveApp();
    const c: Classes = {
      RoomRegistry: (await import('../../../apps/live/src/rooms/room-registry.service')).RoomRegistry,
      MediaService: (await import('../../../apps/live/src/media/media.service')).MediaService,
      NodePipes: (await import('../../../apps/live/src/cluster/node-pipes.service')).NodePipes,
      EdgeRelay: (await import('../../../apps/live/src/cluster/edge-relay.service')).EdgeRelay,
      WorkerPoolService: (await import('../../../apps/live/src/media/worker-pool.service')).WorkerPoolService,
    };
    result = { live, c };
  });
  return result!;
}

const micParameters = (ssrc: number) => ({
  codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc }],
});

describe('one session on two live nodes (an edge room)', () => {
  let a: { live: RunningLive; c: Classes };
  let b: { live: RunningLive; c: Classes };
  let host: Host | undefined;
  let receiver: Receiver | undefined;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    a = await startNode('node-a');
    b = await startNode('node-b');
    for (const node of [a, b]) {
      await node.live.app.get(node.c.NodePipes).whenReady();
      await node.live.app.get(node.c.EdgeRelay).whenReady();
    }
  });
  afterAll(async () => {
    host?.stop();
    receiver?.stop();
    for (const client of clients) client.close();
    await b?.live.close();
    await a?.live.close();
  });

  const connect = async (url: string, token: string) => {
    const client = await LiveClient.connect(url, token);
    clients.push(client);
    return client;
  };

  it('a participant on B sees the room of A, receives its host, and is moderated from A', async () => {
    const course = await a.live.factory.course();
    const user = await a.live.factory.participant(course);
    const trainer = await connect(a.live.url, course.trainer.token);
    await trainer.ok('room:join', { sessionId: course.sessionId });

    // The host publishes on A (a synthetic sender into A's origin, as the trainer's peer).
    const roomA = a.live.app.get(a.c.RoomRegistry).get(course.sessionId)!;
    const hostPeer = roomA.peers.get(course.trainer.id)!;
    const ingress = await roomA.router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: true,
    });
    const mediaA = a.live.app.get(a.c.MediaService);
    const video = await mediaA.attachProducer(roomA, hostPeer, ingress, {
      kind: 'video',
      source: 'camera',
      rtpParameters: HOST_VIDEO,
    });
    const audio = await mediaA.attachProducer(roomA, hostPeer, ingress, {
      kind: 'audio',
      source: 'mic',
      rtpParameters: HOST_AUDIO,
    });
    host = new Host();
    await host.start(ingress.tuple.localPort);

    // The participant on B: admitted by A, the same room.
    const viewer = await connect(b.live.url, user.token);
    const joined = await viewer.ok('room:join', { sessionId: course.sessionId, recvTransport: true });
    expect(joined.self).toMatchObject({ peerId: user.id, role: 'participant' });
    expect(joined.peers.map((p) => p.peerId)).toEqual([course.trainer.id]);
    expect(joined.producers.map((p) => p.producerId).sort()).toEqual([video.id, audio.id].sort());
    expect(joined.recvTransport).toBeDefined();
    expect(await trainer.next('peer:joined')).toMatchObject({ peerId: user.id });
    const roomB = b.live.app.get(b.c.RoomRegistry).get(course.sessionId)!;
    expect(roomB.edge?.ownerNodeId).toBe('node-a');
    expect(a.live.app.get(a.c.RoomRegistry).all()).toContain(roomA);
    expect(b.live.app.get(b.c.RoomRegistry).all()).not.toContain(roomB);
    // Nothing is piped before a consumer on B needs it.
    expect((await roomA.router.dump()).transportIds).toHaveLength(1);

    // Over the socket contract: consumers on B's WebRTC transport, the producers piped from A.
    for (const producerId of [video.id, audio.id]) {
      const consumed = await viewer.ok('media:consume', {
        transportId: joined.recvTransport!.id,
        producerId,
        rtpCapabilities: roomB.router.rtpCapabilities,
      });
      expect(consumed).toMatchObject({ producerId, peerId: course.trainer.id });
    }
    expect((await roomA.router.dump()).transportIds).toHaveLength(2); // ingress + one pipe to B

    // Real RTP: a viewer transport of the participant on B's edge router.
    const mediaB = b.live.app.get(b.c.MediaService);
    const peerB = roomB.peers.get(user.id)!;
    receiver = new Receiver();
    const port = await receiver.start();
    const plain = await roomB.router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: false,
      appData: { routerId: roomB.router.id, direction: 'recv' },
    });
    peerB.transports.set(plain.id, plain as unknown as types.WebRtcTransport);
    await plain.connect({ ip: '127.0.0.1', port });
    const ids: string[] = [];
    for (const producerId of [video.id, audio.id]) {
      const consumed = await mediaB.attachConsumer(roomB, peerB, plain, producerId, plainViewerCaps(roomB.router));
      await mediaB.resumeConsumer(peerB, consumed.consumerId);
      ids.push(consumed.consumerId);
    }
    await eventually(
      () => ({ video: receiver!.video, audio: receiver!.audio }),
      (seen) => seen.video > 30 && seen.audio > 20,
      10_000,
    );

    // Chat and hands cross both ways.
    const fromB = await viewer.ok('chat:send', { text: 'halo dari B' });
    expect(await trainer.next('chat:message')).toMatchObject({ id: fromB.id, text: 'halo dari B' });
    expect(await viewer.next('chat:message')).toMatchObject({ id: fromB.id }); // everyone's copy, the sender's too
    await trainer.ok('chat:send', { text: 'halo dari A' });
    expect(await viewer.next('chat:message')).toMatchObject({ text: 'halo dari A', peerId: course.trainer.id });
    expect(await viewer.ok('hand:raise')).toEqual({ queue: [user.id] });
    expect(await trainer.next('hands:updated')).toEqual({ queue: [user.id] });
    expect(await viewer.next('hands:updated')).toEqual({ queue: [user.id] });

    // Q&A across: a moderator on B joins the staff channel (through the owner) and sees who asked anonymously.
    const admin = await a.live.factory.user('admin');
    const moderator = await connect(b.live.url, admin.token);
    await moderator.ok('room:join', { sessionId: course.sessionId });
    await moderator.ok('interaction:sync');
    const asked = await viewer.ok('qna:ask', { text: 'Bagaimana cara daftar PIRT?', anonymous: true });
    expect(await moderator.next('qna:question')).toMatchObject({ id: asked.id, authorId: user.id });
    await moderator.ok('room:leave');
    expect(await trainer.next('peer:left')).toEqual({ peerId: admin.id });

    // The host on A invites the participant on B, who is told; the speak grant is the owner's state.
    await trainer.ok('speak:invite', { peerId: user.id, camera: false });
    expect(await viewer.next('speak:granted')).toEqual({ camera: false });
    expect(await viewer.next('hands:updated')).toEqual({ queue: [] });
    expect(roomA.peers.get(user.id)).toMatchObject({ canSpeak: true, canCamera: false });
    // It has no microphone yet (publishing from B: the next test).
    expect(await trainer.request('moderation:mute', { peerId: user.id })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.NotFound },
    });

    // The host on A removes the participant on B: told, disconnected, its media on B gone, A's pipe end closed.
    await trainer.ok('moderation:remove', { peerId: user.id, reason: 'uji' });
    expect(await viewer.next('room:removed')).toMatchObject({ reason: 'removed', message: 'uji' });
    await eventually(
      () => viewer.socket.connected,
      (connected) => !connected,
    );
    expect(await trainer.next('peer:left')).toEqual({ peerId: user.id });
    await eventually(
      () => b.live.app.get(b.c.RoomRegistry).get(course.sessionId),
      (room) => room === undefined,
    );
    expect(roomB.closed).toBe(true);
    expect(plain.closed).toBe(true);
    await eventually(
      async () => (await roomA.router.dump()).transportIds.length,
      (count) => count === 1,
    );
    expect([...roomA.peers.keys()]).toEqual([course.trainer.id]);
    // Removed means removed on every node.
    const again = await connect(b.live.url, user.token);
    expect(await again.request('room:join', { sessionId: course.sessionId })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.Removed },
    });
    void ids;
  });

  it('50 joins and leaves on the edge leave no transport, pipe, stand-in or room behind', async () => {
    const course = await a.live.factory.course();
    const trainer = await connect(a.live.url, course.trainer.token);
    await trainer.ok('room:join', { sessionId: course.sessionId });
    const transport = await trainer.ok('transport:create', { direction: 'send' });
    const mic = await trainer.ok('media:produce', {
      transportId: transport.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters: micParameters(0x3333),
    });
    const roomA = a.live.app.get(a.c.RoomRegistry).get(course.sessionId)!;
    const users = await Promise.all(Array.from({ length: 10 }, () => a.live.factory.participant(course)));

    for (let round = 0; round < 5; round += 1) {
      const viewers = await Promise.all(users.map((user) => LiveClient.connect(b.live.url, user.token)));
      await Promise.all(
        viewers.map(async (viewer) => {
          const joined = await viewer.ok('room:join', { sessionId: course.sessionId, recvTransport: true });
          const roomB = b.live.app.get(b.c.RoomRegistry).get(course.sessionId)!;
          await viewer.ok('media:consume', {
            transportId: joined.recvTransport!.id,
            producerId: mic.producerId,
            rtpCapabilities: roomB.router.rtpCapabilities,
          });
        }),
      );
      expect(roomA.peers.size).toBe(11);
      // One pipe from A to B whatever the number of viewers there, and one pipe consumer of the microphone.
      expect((await roomA.router.dump()).transportIds).toHaveLength(2);
      await Promise.all(
        viewers.map(async (viewer, i) => {
          if (i % 2 === 0) await viewer.ok('room:leave');
          viewer.close();
        }),
      );
      await eventually(
        () => roomA.peers.size,
        (size) => size === 1,
        10_000,
      );
    }
    await eventually(
      () => b.live.app.get(b.c.RoomRegistry).get(course.sessionId),
      (room) => room === undefined,
      10_000,
    );
    // Only the trainer's send transport is left on A's origin: the pipe closed with the edge room.
    await eventually(
      async () => (await roomA.router.dump()).transportIds.length,
      (count) => count === 1,
      10_000,
    );
    const relayA = a.live.app.get(a.c.EdgeRelay) as unknown as { standIns: Map<string, unknown> };
    expect(relayA.standIns.size).toBe(0);
    // B holds no router of the session.
    const poolB = b.live.app.get(b.c.WorkerPoolService);
    expect(poolB.load().reduce((sum, worker) => sum + worker.consumers, 0)).toBe(0);
    void randomBytes;
  });

  it('a participant on B invited to speak publishes on B; viewers on A get it; the host on A mutes and stops it', async () => {
    const course = await a.live.factory.course();
    const speakerUser = await a.live.factory.participant(course);
    const viewerUser = await a.live.factory.participant(course);
    const trainer = await connect(a.live.url, course.trainer.token);
    await trainer.ok('room:join', { sessionId: course.sessionId });
    const onA = await connect(a.live.url, viewerUser.token);
    const joinedA = await onA.ok('room:join', { sessionId: course.sessionId, recvTransport: true });
    const speaker = await connect(b.live.url, speakerUser.token);
    await speaker.ok('room:join', { sessionId: course.sessionId });
    const roomA = a.live.app.get(a.c.RoomRegistry).get(course.sessionId)!;
    const roomB = b.live.app.get(b.c.RoomRegistry).get(course.sessionId)!;
    expect(roomB.edge?.ownerNodeId).toBe('node-a');

    // Not invited: the owner's grant says no, on B too.
    expect(await speaker.request('transport:create', { direction: 'send' })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.Forbidden },
    });
    await trainer.ok('speak:invite', { peerId: speakerUser.id, camera: true });
    expect(await speaker.next('speak:granted')).toEqual({ camera: true });

    // Over the socket contract: a microphone published on B, announced to A, consumable on A.
    const send = await speaker.ok('transport:create', { direction: 'send' });
    const { producerId: micId } = await speaker.ok('media:produce', {
      transportId: send.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters: micParameters(0x4444),
    });
    expect(await onA.next('producer:new')).toMatchObject({ producerId: micId, peerId: speakerUser.id, source: 'mic' });
    expect(roomA.findProducerOwner(micId)?.peer.peerId).toBe(speakerUser.id);
    expect(
      await onA.ok('media:consume', {
        transportId: joinedA.recvTransport!.id,
        producerId: micId,
        rtpCapabilities: roomA.router.rtpCapabilities,
      }),
    ).toMatchObject({ producerId: micId, peerId: speakerUser.id });

    // Real RTP B -> A: a synthetic camera of the same participant into B's edge router, a viewer transport on A.
    const peerB = roomB.peers.get(speakerUser.id)!;
    const ingress = await roomB.router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: true,
    });
    const mediaB = b.live.app.get(b.c.MediaService);
    const camera = await mediaB.attachProducer(roomB, peerB, ingress, {
      kind: 'video',
      source: 'camera',
      rtpParameters: HOST_VIDEO,
    });
    const sender = new Host();
    const rtp = new Receiver();
    try {
      await sender.start(ingress.tuple.localPort);
      const port = await rtp.start();
      const peerA = roomA.peers.get(viewerUser.id)!;
      const plain = await roomA.router.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
        rtcpMux: true,
        comedia: false,
      });
      peerA.transports.set(plain.id, plain as unknown as types.WebRtcTransport);
      await plain.connect({ ip: '127.0.0.1', port });
      const mediaA = a.live.app.get(a.c.MediaService);
      const consumed = await mediaA.attachConsumer(roomA, peerA, plain, camera.id, plainViewerCaps(roomA.router));
      await mediaA.resumeConsumer(peerA, consumed.consumerId);
      await eventually(
        () => rtp.video,
        (video) => video > 30,
        10_000,
      );

      // The host on A mutes the microphone: the real producer on B is paused.
      expect(await trainer.ok('moderation:mute', { peerId: speakerUser.id })).toEqual({ producerIds: [micId] });
      await eventually(
        () => peerB.producerBySource('mic')?.paused,
        (paused) => paused === true,
      );
      // ... and stops the camera: closed on B, the viewer on A told.
      await trainer.ok('moderation:stop-camera', { peerId: speakerUser.id });
      await eventually(
        () => camera.closed,
        (closed) => closed,
      );
      expect(await speaker.next('producer:closed')).toMatchObject({ producerId: camera.id, reason: 'moderation' });
      // The viewer's consumer on A goes with the pipe producer, one Redis message after the close on B.
      expect(
        await eventually(
          () => peerA.consumers.has(consumed.consumerId),
          (has) => !has,
        ),
      ).toBe(false);
    } finally {
      sender.stop();
      rtp.stop();
    }

    // The speaker leaves B: its producer leaves A too, and no pipe is left on A's origin.
    await speaker.ok('room:leave');
    await eventually(
      () => roomA.findProducerOwner(micId),
      (found) => found === undefined,
    );
    await eventually(
      async () => (await roomA.router.dump()).transportIds.length,
      (count) => count === 2, // the viewer's WebRTC receive transport and its plain one
    );
  });
});
