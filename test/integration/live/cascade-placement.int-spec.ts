/**
 * Placement across live nodes (issue 14): each node publishes its load
 * (consumers and peers) to Redis, and GET /placement on any node names the
 * least-loaded live node, preferring the session's owner while it is not
 * much busier; a stopped node is no longer offered; bad input is a 400.
 */
import { eventually } from '../../support/wait';
import { LiveClient, RunningLive } from '../../support/live-app';

async function startNode(nodeId: string): Promise<RunningLive> {
  let running: RunningLive | undefined;
  await jest.isolateModulesAsync(async () => {
    process.env.LIVE_NODE_ID = nodeId;
    const { startLiveApp } = await import('../../support/live-app');
    running = await startLiveApp();
  });
  return running!;
}

interface Placed {
  nodeId: string;
  url: string;
  load: number;
  /** Every live node's address (a client keeps them to ask another when its node dies). */
  nodes: string[];
}

describe('placement across live nodes', () => {
  let a: RunningLive;
  let b: RunningLive;
  const clients: LiveClient[] = [];
  const place = async (on: RunningLive, query = ''): Promise<Placed> => {
    const response = await fetch(`${on.url}/placement${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Placed;
  };

  beforeAll(async () => {
    a = await startNode('place-a');
    b = await startNode('place-b');
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await a?.close();
  });

  it('names the least-loaded node, prefers the owner of the session, and forgets a stopped node', async () => {
    // Both idle: either may answer, and both nodes are known.
    await eventually(
      () => place(b),
      (placed) => placed.load === 0 && [a.url, b.url].includes(placed.url),
    );
    const course = await a.factory.course();
    const host = await LiveClient.connect(a.url, course.trainer.token);
    clients.push(host);
    await host.ok('room:join', { sessionId: course.sessionId });
    for (let i = 0; i < 3; i += 1) {
      const user = await a.factory.participant(course);
      const client = await LiveClient.connect(a.url, user.token);
      clients.push(client);
      await client.ok('room:join', { sessionId: course.sessionId });
    }
    // A carries 4 peers (reported within a second): for A's session, A itself (4 is within the slack), its
    // viewers need no pipe...
    const forSession = await eventually(
      () => place(b, `?sessionId=${course.sessionId}`),
      (p) => p.load === 4,
    );
    expect(forSession).toMatchObject({ nodeId: 'place-a', url: a.url, load: 4 });
    expect(forSession.nodes).toContain(a.url);
    // ... and for a client of any other session, the least loaded: B (once its first report is in).
    expect(
      await eventually(
        () => place(a),
        (p) => p.nodeId === 'place-b',
      ),
    ).toMatchObject({ nodeId: 'place-b', url: b.url, load: 0, nodes: [b.url, a.url] });

    // Bad input: the one error shape, never a 500.
    const bad = await fetch(`${a.url}/placement?sessionId=nope`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'VALIDATION_FAILED' });

    // B stops: only A is offered.
    await b.close();
    expect(
      await eventually(
        () => place(a),
        (p) => p.nodes.length === 1,
      ),
    ).toMatchObject({ nodeId: 'place-a', url: a.url, nodes: [a.url] });
  });
});
