/**
 * Q&A and polls survive a live process crash (SIGKILL) and restart: the
 * questions, their upvotes and the pin, the open poll with its counts, and
 * each person's vote are there again after everyone joined the restarted
 * node, and voting goes on with one vote per person.
 */
import { AttendanceStub, startAttendanceStub } from '../../support/attendance-stub';
import { connectDb, Db } from '../../support/db-factories';
import { LiveClient } from '../../support/live-app';
import { freePort } from '../../support/redis-server';
import { sleep } from '../../support/wait';
import { LiveProcess, seedCourse, seedParticipant } from '../live/support/live-process';

jest.setTimeout(180_000);

describe('interaction across a live process restart', () => {
  let stub: AttendanceStub;
  let db: Db;
  let node: LiveProcess;
  const clients: LiveClient[] = [];

  async function joinRetrying(token: string, sessionId: string): Promise<LiveClient> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const client = await LiveClient.connect(node.url, token);
        clients.push(client);
        const ack = await client.request('room:join', { sessionId });
        if (ack.ok) return client;
        client.close();
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('could not join the restarted node');
      await sleep(200);
    }
  }

  beforeAll(async () => {
    stub = await startAttendanceStub();
    db = await connectDb();
    node = new LiveProcess(await freePort(), { API_INTERNAL_URL: stub.url, MEDIASOUP_NUM_WORKERS: '1' });
    await node.start();
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await node?.stop('SIGKILL');
    await db?.close();
    await stub?.close();
  });

  it('SIGKILL and restart: questions, upvotes, pin, the open poll, counts and votes are kept', async () => {
    const course = await seedCourse(db);
    const a = await seedParticipant(db, course);
    const b = await seedParticipant(db, course);
    const host = await joinRetrying(course.trainerToken, course.sessionId);
    await host.ok('interaction:sync', {});
    const pa = await joinRetrying(a.token, course.sessionId);
    const pb = await joinRetrying(b.token, course.sessionId);
    const q = await pa.ok('qna:ask', { text: 'Apakah ada sesi lanjutan?', anonymous: true });
    await pb.ok('qna:upvote', { questionId: q.id, up: true });
    await host.ok('qna:pin', { questionId: q.id });
    const poll = await host.ok('poll:create', {
      question: 'Nilai sesi ini',
      options: ['Baik', 'Cukup'],
      allowChange: false,
    });
    await pa.ok('poll:vote', { pollId: poll.id, choices: [0] });

    await node.stop('SIGKILL');
    for (const c of clients.splice(0)) c.close();
    await node.start();

    const host2 = await joinRetrying(course.trainerToken, course.sessionId);
    const hostView = await host2.ok('interaction:sync', {});
    expect(hostView.questions).toEqual([
      expect.objectContaining({ id: q.id, upvotes: 1, pinned: true, authorId: a.id, status: 'open' }),
    ]);
    expect(hostView.pinnedQuestionId).toBe(q.id);
    expect(hostView.polls).toEqual([
      expect.objectContaining({ id: poll.id, status: 'open', counts: [1, 0], voters: 1 }),
    ]);

    const pa2 = await joinRetrying(a.token, course.sessionId);
    const aView = await pa2.ok('interaction:sync', {});
    expect(aView).toMatchObject({ myVotes: { [poll.id]: [0] }, myQuestions: [q.id] });
    expect(aView.questions[0]).toMatchObject({ authorId: null, authorName: null });
    expect(aView.polls[0]).toMatchObject({ counts: null });
    // Still one vote per person after the restart.
    expect(await pa2.request('poll:vote', { pollId: poll.id, choices: [1] })).toMatchObject({ ok: false });

    const pb2 = await joinRetrying(b.token, course.sessionId);
    expect((await pb2.ok('interaction:sync', {})).myUpvotes).toEqual([q.id]);
    await pb2.ok('poll:vote', { pollId: poll.id, choices: [1] });
    expect(await host2.ok('poll:close', { pollId: poll.id })).toMatchObject({ counts: [1, 1], voters: 2 });
  });
});
