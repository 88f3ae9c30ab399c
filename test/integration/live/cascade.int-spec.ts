/**
 * Cascaded routers within one live node (issue 14), over the real socket
 * contract and three real mediasoup workers, with a consumer budget of 4 per
 * router: viewers fill the origin, then a fan-out opens on another worker,
 * then one on the third, then they overflow onto the least-loaded router;
 * producers are piped to a fan-out only when a consumer there needs them;
 * 50 joins and leaves leave no transport, pipe, consumer or router behind; a
 * fan-out worker's death restarts only the viewers it carried.
 */
process.env.MEDIASOUP_NUM_WORKERS = '3';
process.env.LIVE_ROUTER_CONSUMER_BUDGET = '4';

import type { types } from 'mediasoup';
import { WorkerPoolService } from '../../../apps/live/src/media/worker-pool.service';
import { RoomRegistry } from '../../../apps/live/src/rooms/room-registry.service';
import { eventually } from '../../support/wait';
import { LiveClient, RunningLive, startLiveApp, TestCourse } from '../../support/live-app';

const rtcpFeedback = [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }];
const VIDEO = {
  kind: 'video',
  source: 'camera',
  rtpParameters: {
    codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000, rtcpFeedback }],
    encodings: [{ ssrc: 0x11110001 }, { ssrc: 0x11110002 }, { ssrc: 0x11110003 }],
  },
};
const AUDIO = {
  kind: 'audio',
  source: 'mic',
  rtpParameters: {
    codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
    encodings: [{ ssrc: 0x22220001 }],
  },
};

interface Viewer {
  client: LiveClient;
  userId: string;
  transportId: string;
  consumerIds: string[];
}

describe('cascaded routers on one node', () => {
  let live: RunningLive;
  let registry: RoomRegistry;
  let pool: WorkerPoolService;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    live = await startLiveApp();
    registry = live.app.get(RoomRegistry);
    pool = live.app.get(WorkerPoolService);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await live?.close();
  });

  async function hostWithProducers(course: TestCourse): Promise<{ host: LiveClient; producerIds: string[] }> {
    const host = await LiveClient.connect(live.url, course.trainer.token);
    clients.push(host);
    await host.ok('room:join', { sessionId: course.sessionId });
    const send = await host.ok('transport:create', { direction: 'send' });
    const producerIds: string[] = [];
    for (const input of [VIDEO, AUDIO])
      producerIds.push((await host.ok('media:produce', { transportId: send.id, ...input })).producerId);
    return { host, producerIds };
  }

  async function viewer(course: TestCourse, producerIds: string[], consume = true): Promise<Viewer> {
    const user = await live.factory.participant(course);
    const client = await LiveClient.connect(live.url, user.token);
    clients.push(client);
    const joined = await client.ok('room:join', { sessionId: course.sessionId });
    const recv = await client.ok('transport:create', { direction: 'recv' });
    const consumerIds: string[] = [];
    if (consume) {
      for (const producerId of producerIds) {
        const consumed = await client.ok('media:consume', {
          transportId: recv.id,
          producerId,
          rtpCapabilities: joined.routerRtpCapabilities,
        });
        consumerIds.push(consumed.consumerId);
      }
    }
    return { client, userId: user.id, transportId: recv.id, consumerIds };
  }

  function cascadeOf(sessionId: string) {
    return registry.get(sessionId)!.cascade;
  }

  /** Which router (origin or a fan-out's id) carries a viewer's receive transport. */
  function routerIdOf(sessionId: string, v: Viewer): string {
    const peer = registry.get(sessionId)!.peers.get(v.userId)!;
    return peer.transports.get(v.transportId)!.appData.routerId as string;
  }

  async function routersPerWorker(): Promise<Map<number, string[]>> {
    // (worker.dump() answers with every router of the worker, whichever session it serves)
    const out = new Map<number, string[]>();
    for (const worker of pool.liveWorkers()) out.set(worker.pid, (await worker.dump()).routerIds);
    return out;
  }

  it('fills the origin, opens fan-outs on the other workers, pipes lazily, then overflows to the least loaded', async () => {
    const course = await live.factory.course();
    const { producerIds } = await hostWithProducers(course);
    const cascade = cascadeOf(course.sessionId);
    const origin = cascade.origin;

    const v1 = await viewer(course, producerIds);
    const v2 = await viewer(course, producerIds);
    expect([routerIdOf(course.sessionId, v1), routerIdOf(course.sessionId, v2)]).toEqual([origin.id, origin.id]);
    expect(cascade.view().fanouts).toEqual([]);

    // The third viewer does not fit (4 consumers + 2 expected > 4): a fan-out opens, with nothing piped yet.
    const v3 = await viewer(course, producerIds, false);
    const [fanout1] = cascade.view().fanouts;
    expect(routerIdOf(course.sessionId, v3)).toBe(fanout1.routerId);
    expect(fanout1.workerPid).not.toBe(cascade.view().origin.workerPid);
    expect(fanout1.pipes).toEqual([]);
    const caps = origin.rtpCapabilities;
    for (const producerId of producerIds) {
      await v3.client.ok('media:consume', { transportId: v3.transportId, producerId, rtpCapabilities: caps });
      expect(cascade.view().fanouts[0].pipes).toContain(producerId);
    }
    expect(cascade.view().fanouts[0].pipes.sort()).toEqual([...producerIds].sort());
    const consumer = registry.get(course.sessionId)!.peers.get(v3.userId)!.consumers.values().next().value!;
    // The fan-out consumer of a piped simulcast producer is itself simulcast: the layer policy applies.
    expect(consumer.consumer.type).toBe('simulcast');

    const v4 = await viewer(course, producerIds);
    expect(routerIdOf(course.sessionId, v4)).toBe(fanout1.routerId);
    const v5 = await viewer(course, producerIds);
    const view = cascade.view();
    expect(view.fanouts).toHaveLength(2);
    const fanout2 = view.fanouts[1];
    expect(routerIdOf(course.sessionId, v5)).toBe(fanout2.routerId);
    expect(new Set([view.origin.workerPid, fanout1.workerPid, fanout2.workerPid]).size).toBe(3);

    // Every worker carries the session: the next viewer goes over budget on the least-loaded router.
    const v6 = await viewer(course, producerIds);
    expect(routerIdOf(course.sessionId, v6)).toBe(fanout2.routerId);
    expect(cascade.view().fanouts).toHaveLength(2);

    // Pause and resume of the producer reach viewers on a fan-out through the pipe.
    const room = registry.get(course.sessionId)!;
    const hostPeer = room.peers.get(course.trainer.id)!;
    const video = [...hostPeer.producers.values()].find((p) => p.source === 'camera')!.producer;
    await video.pause();
    expect(await v5.client.next('producer:paused')).toEqual({ producerId: video.id, paused: true });
    await video.resume();
    expect(await v5.client.next('producer:paused')).toEqual({ producerId: video.id, paused: false });
    // Closing it closes the fan-out consumers and the pipe.
    await v5.client.ok('media:consumer-resume', { consumerId: v5.consumerIds[0] });
    video.close();
    expect(await v5.client.next('consumer:closed')).toMatchObject({ producerId: video.id });
    await eventually(
      () => cascade.view().fanouts.map((f) => f.pipes),
      (pipes) => pipes.every((list) => !list.includes(video.id)),
    );
  });

  it('leaves no transport, pipe, consumer or router behind after 50 joins and leaves', async () => {
    const course = await live.factory.course();
    const { producerIds } = await hostWithProducers(course);
    const cascade = cascadeOf(course.sessionId);
    let maxFanouts = 0;
    for (let round = 0; round < 5; round += 1) {
      const batch = await Promise.all(Array.from({ length: 10 }, () => viewer(course, producerIds)));
      maxFanouts = Math.max(maxFanouts, cascade.view().fanouts.length);
      await Promise.all(
        batch.map(async (v, i) => {
          // Half leave politely, half drop their connection.
          if (i % 2 === 0) await v.client.ok('room:leave');
          v.client.close();
        }),
      );
    }
    expect(maxFanouts).toBe(2);
    await eventually(
      () => registry.get(course.sessionId)!.peers.size,
      (size) => size === 1,
    );
    await eventually(
      () => cascade.view(),
      (view) => view.fanouts.length === 0 && view.origin.consumers === 0 && view.origin.receivers === 0,
    );
    const dump = await cascade.origin.dump();
    // Only the host's send transport is left on the origin: no pipe transport, no consumer.
    expect(dump.transportIds).toHaveLength(1);
    expect(dump.mapProducerIdConsumerIds.every(({ values }) => values.length === 0)).toBe(true);
    // Across the workers, the only routers are this origin and those of other sessions still open.
    const others = registry.all().filter((room) => room.sessionId !== course.sessionId);
    const expected = [cascade.origin.id, ...others.flatMap((room) => room.cascade.routers().map((r) => r.id))];
    const routers = [...(await routersPerWorker()).values()].flat();
    expect(routers.sort()).toEqual(expected.sort());
    // And no consumer is counted on this session's routers.
    expect(pool.consumersOn(cascade.origin)).toBe(0);
  });

  it('a fan-out worker that dies restarts only its viewers; they are placed again and consume', async () => {
    const course = await live.factory.course();
    const { host, producerIds } = await hostWithProducers(course);
    const cascade = cascadeOf(course.sessionId);
    const onOrigin = [await viewer(course, producerIds), await viewer(course, producerIds)];
    const onFanout = [await viewer(course, producerIds), await viewer(course, producerIds)];
    const [fanout] = cascade.view().fanouts;
    expect(onFanout.map((v) => routerIdOf(course.sessionId, v))).toEqual([fanout.routerId, fanout.routerId]);

    process.kill(fanout.workerPid, 'SIGKILL');
    for (const v of onFanout) {
      const notice = await v.client.next('media:restart', 10_000);
      expect(notice.reason).toBe('worker-died');
    }
    // Nobody else heard of it, and the origin's viewers keep their consumers.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const c of [host, ...onOrigin.map((v) => v.client)])
      await expect(c.next('media:restart', 10)).rejects.toThrow();
    const room = registry.get(course.sessionId)!;
    for (const v of onOrigin) expect(room.peers.get(v.userId)!.consumers.size).toBe(2);
    for (const v of onFanout) await expect(v.client.next('producer:closed', 10)).rejects.toThrow();

    // The restarted viewers redo their media: placed again (the dead worker was replaced) and consuming.
    await eventually(
      () => pool.aliveCount,
      (count) => count === 3,
      10_000,
    );
    for (const v of onFanout) {
      const recv = await v.client.ok('transport:create', { direction: 'recv' });
      for (const producerId of producerIds) {
        await v.client.ok('media:consume', {
          transportId: recv.id,
          producerId,
          rtpCapabilities: cascade.origin.rtpCapabilities as unknown as types.RtpCapabilities,
        });
      }
      expect(room.peers.get(v.userId)!.consumers.size).toBe(2);
    }
    expect(cascade.view().fanouts).toHaveLength(1);
    expect(cascade.view().fanouts[0].workerPid).not.toBe(fanout.workerPid);
  });
});
