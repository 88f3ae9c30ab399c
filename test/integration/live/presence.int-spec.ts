/**
 * Presence in a large room (issue 15, join storm): past PRESENCE_BATCH_ABOVE people the room's joins and
 * leaves reach the others as `peers:changed` batches instead of one message per change to everyone, and
 * what a client builds from them (with the join's peer list) is who is really in the room.
 */
import type { PeerInfo, PeersChangedNotice } from '@balai/live-contract';
import { PRESENCE_BATCH_ABOVE, PRESENCE_BATCH_MS } from '../../../apps/live/src/rooms/presence-notices.service';
import { LiveClient, RunningLive, startLiveApp, TestCourse, TestUser } from '../../support/live-app';
import { waitFor } from '../../support/wait';

/** Who a client thinks is in the room: its join's peer list, then every presence notice it receives. */
function presenceOf(client: LiveClient, initial: PeerInfo[]): { peers: Map<string, PeerInfo>; messages: string[] } {
  const peers = new Map(initial.map((p) => [p.peerId, p]));
  const messages: string[] = [];
  client.socket.onAny((event: string, payload: unknown) => {
    if (event === 'peer:joined' || event === 'peer:updated') {
      const p = payload as PeerInfo;
      peers.set(p.peerId, p);
    } else if (event === 'peer:left') {
      peers.delete((payload as { peerId: string }).peerId);
    } else if (event === 'peers:changed') {
      const { peers: present, left } = payload as PeersChangedNotice;
      for (const p of present) peers.set(p.peerId, p);
      for (const id of left) peers.delete(id);
    } else return;
    messages.push(event);
  });
  return { peers, messages };
}

describe('presence in a large room', () => {
  const crowd = PRESENCE_BATCH_ABOVE + 20;
  let live: RunningLive;
  let course: TestCourse;
  let users: TestUser[];
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    live = await startLiveApp();
    course = await live.factory.course();
    users = [];
    for (let i = 0; i < crowd; i += 1) users.push(await live.factory.participant(course));
  }, 60_000);
  afterAll(async () => {
    for (const client of clients) client.close();
    await live.close();
  });

  it('tells a class each change at once and a webinar in batches; every view ends up as the room is', async () => {
    const host = await LiveClient.connect(live.url, course.trainer.token);
    clients.push(host);
    const hostJoin = await host.ok('room:join', { sessionId: course.sessionId });
    const hostView = presenceOf(host, hostJoin.peers);

    const joined: Array<{ client: LiveClient; userId: string }> = [];
    await Promise.all(
      users.map(async (user) => {
        const client = await LiveClient.connect(live.url, user.token);
        clients.push(client);
        await client.ok('room:join', { sessionId: course.sessionId });
        joined.push({ client, userId: user.id });
      }),
    );
    // The last to arrive sees the others from its join and the rest from the notices after it.
    const lateUser = await live.factory.participant(course);
    const late = await LiveClient.connect(live.url, lateUser.token);
    clients.push(late);
    const lateJoin = await late.ok('room:join', { sessionId: course.sessionId });
    const lateView = presenceOf(late, lateJoin.peers);

    const everyone = new Set([...users.map((u) => u.id), lateUser.id]);
    await waitFor(async () => hostView.peers.size === everyone.size, 5_000, 'the host sees everyone');
    expect(new Set(hostView.peers.keys())).toEqual(everyone);
    // The first joins of the room went one by one, those past the threshold in far fewer messages.
    const single = hostView.messages.filter((m) => m === 'peer:joined').length;
    const batches = hostView.messages.filter((m) => m === 'peers:changed').length;
    expect(single).toBeGreaterThanOrEqual(PRESENCE_BATCH_ABOVE - 1);
    expect(single).toBeLessThanOrEqual(PRESENCE_BATCH_ABOVE);
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(single + batches).toBeLessThan(everyone.size);

    // 20 leave at once (some by leaving, some by dropping; the room stays large): every view loses exactly them.
    const leaving = joined.slice(0, 20);
    await Promise.all(
      leaving.map(async ({ client }, i) => {
        if (i % 2) client.close();
        else await client.ok('room:leave');
      }),
    );
    const gone = new Set(leaving.map((l) => l.userId));
    const staying = new Set([...everyone].filter((id) => !gone.has(id)));
    // The late joiner's view: the host and everyone staying but itself (a batch may name itself too).
    const lateSees = () => new Set([...lateView.peers.keys()].filter((id) => id !== lateUser.id));
    const lateShould = new Set([course.trainer.id, ...[...staying].filter((id) => id !== lateUser.id)]);
    await waitFor(
      async () => hostView.peers.size === staying.size && lateSees().size === lateShould.size,
      5_000,
      'the leaves reach the host and the late joiner',
    );
    expect(new Set(hostView.peers.keys())).toEqual(staying);
    expect(lateSees()).toEqual(lateShould);
  }, 90_000);

  it('a join in a room still past the threshold goes out in the next batch, without the joiner waiting for it', async () => {
    const host = clients[0]!;
    const user = await live.factory.participant(course);
    const client = await LiveClient.connect(live.url, user.token);
    clients.push(client);
    const notices: string[] = [];
    const seen = new Promise<PeersChangedNotice>((resolve) =>
      host.socket.onAny((event: string, payload: PeersChangedNotice) => {
        notices.push(event);
        if (event === 'peers:changed' && payload.peers.some((p) => p.peerId === user.id)) resolve(payload);
      }),
    );
    const started = Date.now();
    await client.ok('room:join', { sessionId: course.sessionId });
    const notice = await seen;
    expect(notice.left).toEqual([]);
    expect(notices).not.toContain('peer:joined');
    // No more than the window plus the way through socket.io (a bound against a lost timer, not a timing test).
    expect(Date.now() - started).toBeLessThan(PRESENCE_BATCH_MS + 4_500);
  });
});
