/**
 * Media between two live nodes (issue 14, the cross-node building block):
 * node B pipes a session's producers from node A's origin router over SRTP
 * PipeTransports negotiated over Redis (cluster/node-pipes.service.ts), and a
 * viewer on B's router gets real RTP; a key-frame request, pause/resume and
 * close cross the nodes; closing the pipe on B closes A's end; requests for a
 * session A does not host, or to a node that is not there, are refused.
 */
import { randomBytes } from 'node:crypto';
import type { types } from 'mediasoup';
import { eventually } from '../../support/wait';
import type { RunningLive } from '../../support/live-app';
import { fakeSocket, Host, HOST_AUDIO, HOST_VIDEO, plainViewerCaps, Receiver } from './support/cascade-rtp';

type Classes = {
  RoomRegistry: typeof import('../../../apps/live/src/rooms/room-registry.service').RoomRegistry;
  MediaService: typeof import('../../../apps/live/src/media/media.service').MediaService;
  WorkerPoolService: typeof import('../../../apps/live/src/media/worker-pool.service').WorkerPoolService;
  NodePipes: typeof import('../../../apps/live/src/cluster/node-pipes.service').NodePipes;
  Peer: typeof import('../../../apps/live/src/rooms/peer').Peer;
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
      WorkerPoolService: (await import('../../../apps/live/src/media/worker-pool.service')).WorkerPoolService,
      NodePipes: (await import('../../../apps/live/src/cluster/node-pipes.service')).NodePipes,
      Peer: (await import('../../../apps/live/src/rooms/peer')).Peer,
    };
    result = { live, c };
  });
  return result!;
}

describe('media piped between two live nodes', () => {
  let a: { live: RunningLive; c: Classes };
  let b: { live: RunningLive; c: Classes };
  let host: Host | undefined;
  let receiver: Receiver | undefined;

  beforeAll(async () => {
    a = await startNode('node-a');
    b = await startNode('node-b');
    await a.live.app.get(a.c.NodePipes).whenReady();
    await b.live.app.get(b.c.NodePipes).whenReady();
  });
  afterAll(async () => {
    host?.stop();
    receiver?.stop();
    await b?.live.close();
    await a?.live.close();
  });

  it('a viewer on node B receives the host on node A through an SRTP pipe, with key frames, pause and close', async () => {
    const registryA = a.live.app.get(a.c.RoomRegistry);
    const mediaA = a.live.app.get(a.c.MediaService);
    const sessionId = randomBytes(12).toString('hex');
    const room = await registryA.getOrCreate({
      sessionId,
      courseId: randomBytes(12).toString('hex'),
      startsAt: new Date(),
      endsAt: new Date(Date.now() + 3600_000),
    });
    const hostPeer = new a.c.Peer(fakeSocket([]), 'host', 'Host', 'host');
    room.peers.set(hostPeer.peerId, hostPeer);
    const ingress = await room.router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: true,
    });
    const video = await mediaA.attachProducer(room, hostPeer, ingress, {
      kind: 'video',
      source: 'camera',
      rtpParameters: HOST_VIDEO,
    });
    const audio = await mediaA.attachProducer(room, hostPeer, ingress, {
      kind: 'audio',
      source: 'mic',
      rtpParameters: HOST_AUDIO,
    });
    host = new Host();
    await host.start(ingress.tuple.localPort);

    // Node B: a router of its own, fed from A's origin.
    const pipesB = b.live.app.get(b.c.NodePipes);
    const routerB = await b.live.app.get(b.c.WorkerPoolService).createRouter({ sessionId, role: 'edge' });
    const pipe = await pipesB.pipeFrom('node-a', sessionId, routerB);
    expect(pipe.transport.srtpParameters).toBeDefined();
    const pipedVideo = await pipe.produce(video.id);
    await pipe.produce(audio.id);
    expect(pipedVideo.id).toBe(video.id);
    expect(pipedVideo.type).toBe('simulcast');
    expect(pipedVideo.appData).toMatchObject({ peerId: 'host', source: 'camera' });

    receiver = new Receiver();
    const port = await receiver.start();
    const viewerTransport = await routerB.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: false,
    });
    await viewerTransport.connect({ ip: '127.0.0.1', port });
    const caps = plainViewerCaps(routerB);
    const consumers: types.Consumer[] = [];
    for (const producerId of [video.id, audio.id])
      consumers.push(await viewerTransport.consume({ producerId, rtpCapabilities: caps, paused: true }));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const requestsBefore = host.keyFrameRequests;
    for (const consumer of consumers) await consumer.resume();
    await consumers[0].requestKeyFrame();
    await eventually(
      () => ({ video: receiver!.video, audio: receiver!.audio, pli: host!.keyFrameRequests }),
      (seen) => seen.video > 30 && seen.audio > 20 && seen.pli > requestsBefore,
      10_000,
    );

    // Pause and resume on A reach B's pipe producer.
    await video.pause();
    await eventually(
      () => pipedVideo.paused,
      (paused) => paused,
    );
    await video.resume();
    await eventually(
      () => pipedVideo.paused,
      (paused) => !paused,
    );

    // Closing the producer on A closes B's pipe producer and its consumer there.
    video.close();
    await eventually(
      () => pipedVideo.closed && consumers[0].closed,
      (closed) => closed,
    );

    // Closing B's end closes A's: only the host's ingress is left on A's origin.
    pipe.close();
    await eventually(
      async () => (await room.router.dump()).transportIds.length,
      (count) => count === 1,
    );
    routerB.close();
    await registryA.close(room);
  });

  it('refuses a session the owner does not host, and a node that is not there', async () => {
    const pipesB = b.live.app.get(b.c.NodePipes);
    const routerB = await b.live.app.get(b.c.WorkerPoolService).createRouter({ role: 'edge' });
    await expect(pipesB.pipeFrom('node-a', randomBytes(12).toString('hex'), routerB)).rejects.toThrow(
      'this node does not host the session',
    );
    await expect(pipesB.pipeFrom('node-z', 'x', routerB)).rejects.toThrow('node node-z is not listening');
    // Neither attempt left a transport on B.
    expect((await routerB.dump()).transportIds).toEqual([]);
    routerB.close();
  });
});
