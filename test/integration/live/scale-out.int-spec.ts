/**
 * Two live nodes side by side on the same Redis: the room -> node map decides
 * which node hosts (owns) a session; the other serves it as an edge (its
 * participants admitted by the owner, see cascade-edge.int-spec.ts), and the
 * claim is released when the room closes.
 */
import { eventually } from '../../support/wait';
import { LiveClient, RunningLive } from '../../support/live-app';

async function startNode(nodeId: string): Promise<RunningLive> {
  let running: RunningLive | undefined;
  // Each node gets its own copy of the app modules, so each reads its own LIVE_NODE_ID.
  await jest.isolateModulesAsync(async () => {
    process.env.LIVE_NODE_ID = nodeId;
    const { startLiveApp } = await import('../../support/live-app');
    running = await startLiveApp();
  });
  return running!;
}

describe('two live nodes', () => {
  let nodeA: RunningLive;
  let nodeB: RunningLive;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    nodeA = await startNode('node-a');
    nodeB = await startNode('node-b');
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await nodeA.close();
    await nodeB.close();
  });

  it('one node hosts a session; the other serves it as an edge; the claim ends with the room', async () => {
    const course = await nodeA.factory.course();
    const user = await nodeA.factory.participant(course);
    const host = await LiveClient.connect(nodeA.url, course.trainer.token);
    clients.push(host);
    await host.ok('room:join', { sessionId: course.sessionId });

    // Node B does not host it: it admits the participant through node A (an edge room, issue 14).
    const elsewhere = await LiveClient.connect(nodeB.url, user.token);
    clients.push(elsewhere);
    const joined = await elsewhere.ok('room:join', { sessionId: course.sessionId });
    expect(joined.peers.map((p) => p.peerId)).toEqual([course.trainer.id]);
    expect(await host.next('peer:joined')).toMatchObject({ peerId: user.id });

    // When everyone has left, the claim is released: the next join makes B the owner.
    await elsewhere.ok('room:leave');
    await host.ok('room:leave');
    const retried = await eventually(
      () => elsewhere.request('room:join', { sessionId: course.sessionId }),
      (ack) => ack.ok,
      3000,
    );
    expect(retried.ok).toBe(true);
  });
});
