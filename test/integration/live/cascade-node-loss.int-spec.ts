/**
 * The owner of a session dies (SIGKILL) while one of its participants is on
 * an edge (issue 14, node loss): once the survivor's recovery has closed the
 * dead node's attendance intervals (at the time it stopped answering), the
 * survivor claims the session and its edge room becomes the session's room.
 * The participant there keeps its connection and its receive transport, is
 * told what it consumed from the dead node is gone and that the dead node's
 * peers left; the trainer's client joins again (on the survivor) and
 * publishes, and the participant consumes it on the same transport.
 * Attendance: one interval per stay on each node, none open, none doubled.
 * And the other way round: an edge killed, its peers are dropped by the owner
 * (their intervals closed once, at the edge's last heartbeat, after the grace).
 */
import { randomBytes } from 'node:crypto';
import { AttendanceStub, startAttendanceStub } from '../../support/attendance-stub';
import { connectDb, Db } from '../../support/db-factories';
import { LiveClient, RunningLive } from '../../support/live-app';
import { freePort } from '../../support/redis-server';
import { eventually, sleep } from '../../support/wait';
import { LiveProcess, seedCourse, seedParticipant } from './support/live-process';

const LEASE_MS = 1500;

jest.setTimeout(120_000);

type Registry = typeof import('../../../apps/live/src/rooms/room-registry.service').RoomRegistry;

const micParameters = (ssrc: number) => ({
  codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc }],
});

describe('the owner node dies: its edge carries the session on', () => {
  let stub: AttendanceStub;
  let db: Db;
  let owner: LiveProcess;
  let survivor: RunningLive;
  let RoomRegistry: Registry;
  const clients: LiveClient[] = [];
  const connect = async (url: string, token: string) => {
    const client = await LiveClient.connect(url, token);
    clients.push(client);
    return client;
  };
  const eventsOf = (userId: string) => stub.events.filter((e) => e.userId === userId);
  const kinds = (userId: string) => eventsOf(userId).map((e) => (e.reason ? `${e.type}:${e.reason}` : e.type));

  beforeAll(async () => {
    stub = await startAttendanceStub();
    db = await connectDb();
    owner = new LiveProcess(await freePort(), {
      API_INTERNAL_URL: stub.url,
      LIVE_NODE_ID: `owner-${randomBytes(3).toString('hex')}`,
      LIVE_NODE_LEASE_MS: String(LEASE_MS),
      ATTENDANCE_RETRY_MS: '100',
      MEDIASOUP_NUM_WORKERS: '1',
    });
    await owner.start();
    await jest.isolateModulesAsync(async () => {
      process.env.LIVE_NODE_ID = `survivor-${randomBytes(3).toString('hex')}`;
      process.env.API_INTERNAL_URL = stub.url;
      process.env.LIVE_NODE_LEASE_MS = String(LEASE_MS);
      process.env.ATTENDANCE_RETRY_MS = '100';
      process.env.LIVE_RECONNECT_GRACE_SECONDS = '2';
      const { startLiveApp } = await import('../../support/live-app');
      survivor = await startLiveApp();
      RoomRegistry = (await import('../../../apps/live/src/rooms/room-registry.service')).RoomRegistry;
    });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await owner?.stop('SIGKILL');
    await survivor?.close();
    await db?.close();
    await stub?.close();
  });

  it('the survivor claims the session; its viewer keeps its transport; attendance is closed once and goes on', async () => {
    const course = await seedCourse(db);
    const user = await seedParticipant(db, course);
    const trainer = await connect(owner.url, course.trainerToken);
    await trainer.ok('room:join', { sessionId: course.sessionId });
    const send = await trainer.ok('transport:create', { direction: 'send' });
    const { producerId: micId } = await trainer.ok('media:produce', {
      transportId: send.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters: micParameters(0x5555),
    });

    // The participant on the survivor: an edge of the owner, consuming the trainer's microphone through a pipe.
    const viewer = await connect(survivor.url, user.token);
    const joined = await viewer.ok('room:join', { sessionId: course.sessionId, recvTransport: true });
    const room = survivor.app.get(RoomRegistry).get(course.sessionId)!;
    expect(room.edge).toBeDefined();
    await viewer.ok('media:consume', {
      transportId: joined.recvTransport!.id,
      producerId: micId,
      rtpCapabilities: room.router.rtpCapabilities,
    });
    await eventually(
      () => stub.events.filter((e) => e.type === 'join' && e.sessionId === course.sessionId).length,
      (n) => n === 2,
      10_000,
    );
    await sleep(LEASE_MS); // a heartbeat after the joins

    const killedAt = Date.now();
    await owner.stop('SIGKILL');

    // The survivor's edge room becomes the session's room; the viewer keeps its connection and transport.
    await eventually(
      () => survivor.app.get(RoomRegistry).get(course.sessionId)?.edge,
      (edge) => edge === undefined,
      15_000,
    );
    const promotedAfterMs = Date.now() - killedAt;
    expect(survivor.app.get(RoomRegistry).get(course.sessionId)).toBe(room);
    expect(await viewer.next('consumer:closed')).toMatchObject({ producerId: micId });
    expect(await viewer.next('peer:left')).toEqual({ peerId: course.trainerId });
    expect(viewer.socket.connected).toBe(true);
    const transport = room.peers.get(user.id)!.transports.get(joined.recvTransport!.id);
    expect(transport?.closed).toBe(false);

    // Attendance: the dead node's intervals closed at the time it stopped answering, the viewer's goes on here.
    await eventually(
      () => [kinds(course.trainerId), kinds(user.id)],
      ([t, u]) => t.length === 2 && u.length === 3,
      10_000,
    );
    expect(kinds(course.trainerId)).toEqual(['join', 'leave:node-lost']);
    expect(kinds(user.id)).toEqual(['join', 'leave:node-lost', 'join']);
    const [, lost, back] = eventsOf(user.id);
    expect(new Date(lost.at).getTime()).toBeLessThanOrEqual(killedAt);
    expect(new Date(back.at).getTime()).toBeGreaterThanOrEqual(killedAt);

    // The trainer's client joins again (here: the survivor is the node left) and publishes; the viewer consumes
    // it on the transport it kept.
    trainer.close();
    const again = await eventually(
      async () => {
        const client = await connect(survivor.url, course.trainerToken);
        const ack = await client.request('room:join', { sessionId: course.sessionId });
        if (!ack.ok) client.close();
        return { client, ack };
      },
      ({ ack }) => ack.ok,
      10_000,
    );
    const trainerBack = again.client;
    expect(await viewer.next('peer:joined')).toMatchObject({ peerId: course.trainerId });
    const send2 = await trainerBack.ok('transport:create', { direction: 'send' });
    const { producerId: mic2 } = await trainerBack.ok('media:produce', {
      transportId: send2.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters: micParameters(0x6666),
    });
    expect(await viewer.next('producer:new')).toMatchObject({ producerId: mic2, peerId: course.trainerId });
    expect(
      await viewer.ok('media:consume', {
        transportId: joined.recvTransport!.id,
        producerId: mic2,
        rtpCapabilities: room.router.rtpCapabilities,
      }),
    ).toMatchObject({ producerId: mic2 });

    // Nothing else arrives later (the recovery ran once), then both leave: every interval closed exactly once.
    await sleep(LEASE_MS * 3);
    await viewer.ok('room:leave');
    await trainerBack.ok('room:leave');
    await eventually(
      () => [kinds(course.trainerId), kinds(user.id)],
      ([t, u]) => t.length === 4 && u.length === 4,
      10_000,
    );
    expect(kinds(course.trainerId)).toEqual(['join', 'leave:node-lost', 'join', 'leave:left']);
    expect(kinds(user.id)).toEqual(['join', 'leave:node-lost', 'join', 'leave:left']);
    process.stdout.write(
      `owner SIGKILLed: its edge owned the session ${promotedAfterMs} ms later (lease ${LEASE_MS} ms)\n`,
    );
  });

  it('an edge killed: the owner drops its peers, their intervals closed once at its last heartbeat', async () => {
    await owner.start(); // the process node again, now the edge of a session the in-process node owns
    const course = await seedCourse(db);
    const user = await seedParticipant(db, course);
    const trainer = await connect(survivor.url, course.trainerToken);
    await trainer.ok('room:join', { sessionId: course.sessionId });
    const viewer = await connect(owner.url, user.token);
    await viewer.ok('room:join', { sessionId: course.sessionId });
    expect(await trainer.next('peer:joined')).toMatchObject({ peerId: user.id });
    await eventually(
      () => kinds(user.id),
      (k) => k.length === 1,
      10_000,
    );
    await sleep(LEASE_MS); // a heartbeat after the join

    const killedAt = Date.now();
    await owner.stop('SIGKILL');
    expect(await trainer.next('peer:left', 15_000)).toEqual({ peerId: user.id });
    await eventually(
      () => kinds(user.id),
      (k) => k.length === 2,
      15_000,
    );
    await sleep(LEASE_MS * 2); // nothing else arrives later
    expect(kinds(user.id)).toEqual(['join', 'leave:disconnected']);
    const left = new Date(eventsOf(user.id)[1].at).getTime();
    expect(left).toBeLessThanOrEqual(killedAt);
    expect(left).toBeGreaterThan(killedAt - 2 * LEASE_MS);
    const room = survivor.app.get(RoomRegistry).get(course.sessionId)!;
    expect([...room.peers.keys()]).toEqual([course.trainerId]);
    await trainer.ok('room:leave');
  });
});
