/**
 * Q&A and polls in the live room (issue 12) against the real live app (Redis
 * adapter, FerretDB): anonymity towards participants, one upvote and one vote
 * per person under concurrent requests, role checks with error acks, counts
 * pushed in batches (not one notification per vote), persistence across a
 * reconnect.
 */
import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { Types } from 'mongoose';
import { RedisClient } from '@balai/common';
import { LivePoll, PollVote } from '@balai/database';
import { LiveErrorCode, PollInfo, ServerNotifications } from '@balai/live-contract';
import { LiveClient, RunningLive, startLiveApp, TestCourse, TestUser } from '../../support/live-app';
import { eventually, sleep } from '../../support/wait';

jest.setTimeout(120_000);

/** Collects every notification of one event a client receives. */
function collect<E extends keyof ServerNotifications>(client: LiveClient, event: E): Array<ServerNotifications[E]> {
  const seen: Array<ServerNotifications[E]> = [];
  client.socket.on(event as string, (payload: ServerNotifications[E]) => seen.push(payload));
  return seen;
}

describe('interaction in the live room', () => {
  let live: RunningLive;
  let course: TestCourse;
  let host: LiveClient;
  const clients: LiveClient[] = [];

  async function joined(token: string): Promise<LiveClient> {
    const client = await LiveClient.connect(live.url, token);
    clients.push(client);
    await client.ok('room:join', { sessionId: course.sessionId });
    await client.ok('interaction:sync', {});
    return client;
  }

  async function participants(n: number): Promise<Array<{ user: TestUser; client: LiveClient }>> {
    const list: Array<{ user: TestUser; client: LiveClient }> = [];
    for (let i = 0; i < n; i++) {
      const user = await live.factory.participant(course);
      list.push({ user, client: await joined(user.token) });
    }
    return list;
  }

  beforeAll(async () => {
    live = await startLiveApp();
  });
  beforeEach(async () => {
    course = await live.factory.course();
    host = await joined(course.trainer.token);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await live?.close();
  });

  describe('Q&A', () => {
    it('an anonymous question hides its author from participants, never from hosts', async () => {
      const [asker, other] = await participants(2);
      const hostSees = collect(host, 'qna:question');
      const otherSees = collect(other.client, 'qna:question');
      const q = await asker.client.ok('qna:ask', { text: '  Apakah sertifikat halal wajib?  ', anonymous: true });
      expect(q).toMatchObject({
        text: 'Apakah sertifikat halal wajib?',
        anonymous: true,
        authorId: null,
        authorName: null,
      });

      await eventually(
        () => hostSees.length + otherSees.length,
        (n) => n === 2,
      );
      expect(hostSees[0]).toMatchObject({ id: q.id, authorId: asker.user.id, authorName: asker.user.name });
      expect(otherSees[0]).toMatchObject({ id: q.id, authorId: null, authorName: null });
      const snapshot = await other.client.ok('interaction:sync', {});
      expect(snapshot.questions.find((x) => x.id === q.id)).toMatchObject({ authorId: null, authorName: null });
      expect(JSON.stringify(snapshot)).not.toContain(asker.user.name);
      expect((await asker.client.ok('interaction:sync', {})).myQuestions).toEqual([q.id]);
      const hostSnapshot = await host.ok('interaction:sync', {});
      expect(hostSnapshot.questions.find((x) => x.id === q.id)).toMatchObject({ authorName: asker.user.name });

      const named = await other.client.ok('qna:ask', { text: 'Berapa biayanya?' });
      expect(named).toMatchObject({ anonymous: false, authorId: other.user.id, authorName: other.user.name });
    });

    it('one upvote per person even when sent many times at once; it can be taken back; counts are batched', async () => {
      const [asker, voter, second] = await participants(3);
      const q = await asker.client.ok('qna:ask', { text: 'Kapan pendaftaran dibuka?' });
      const votesSeen = collect(host, 'qna:votes');
      const acks = await Promise.all(
        Array.from({ length: 12 }, () => voter.client.request('qna:upvote', { questionId: q.id, up: true })),
      );
      expect(acks.every((a) => a.ok)).toBe(true);
      await second.client.ok('qna:upvote', { questionId: q.id, up: true });
      const counted = await eventually(
        () =>
          votesSeen
            .map((v) => v.counts[q.id])
            .filter((n) => n !== undefined)
            .at(-1),
        (n) => n === 2,
      );
      expect(counted).toBe(2);
      // 13 requests, at most a few batched pushes.
      expect(votesSeen.length).toBeLessThanOrEqual(3);
      expect((await voter.client.ok('interaction:sync', {})).myUpvotes).toEqual([q.id]);

      await voter.client.ok('qna:upvote', { questionId: q.id, up: false });
      await voter.client.ok('qna:upvote', { questionId: q.id, up: false });
      const snapshot = await eventually(
        () => host.ok('interaction:sync', {}),
        (s) => s.questions.find((x) => x.id === q.id)?.upvotes === 1,
      );
      expect(snapshot.questions.find((x) => x.id === q.id)?.upvotes).toBe(1);
      const upvotes = live.app.get<Model<{ _id: string }>>(getModelToken('QuestionUpvote'));
      // Stored right after the ack (batched): one document per person.
      await eventually(
        () => upvotes.countDocuments({ questionId: new Types.ObjectId(q.id) }),
        (n) => n === 1,
      );
    });

    it('rebuilds the live upvote counts from the stored upvotes when Redis lost them; still one per person', async () => {
      const [asker, voter] = await participants(2);
      const q = await asker.client.ok('qna:ask', { text: 'Setelah Redis kosong?' });
      await voter.client.ok('qna:upvote', { questionId: q.id, up: true });
      await asker.client.ok('qna:upvote', { questionId: q.id, up: true });
      const upvotes = live.app.get<Model<{ _id: string }>>(getModelToken('QuestionUpvote'));
      await eventually(
        () => upvotes.countDocuments({ questionId: new Types.ObjectId(q.id) }),
        (n) => n === 2,
      );
      const redis = live.app.get(RedisClient).client;
      await redis.del(
        `qna:${course.sessionId}:up`,
        `qna:q:${q.id}:voters`,
        `qna:${course.sessionId}:mine:${voter.user.id}`,
      );
      const s = await voter.client.ok('interaction:sync', {});
      expect(s.questions[0]).toMatchObject({ id: q.id, upvotes: 2 });
      expect(s.myUpvotes).toEqual([q.id]);
      await voter.client.ok('qna:upvote', { questionId: q.id, up: true });
      expect((await host.ok('interaction:sync', {})).questions[0].upvotes).toBe(2);
    });

    it('sorts by upvotes, then time', async () => {
      const [a, b, c] = await participants(3);
      const first = await a.client.ok('qna:ask', { text: 'Pertama' });
      const second = await b.client.ok('qna:ask', { text: 'Kedua' });
      const third = await c.client.ok('qna:ask', { text: 'Ketiga' });
      for (const p of [a, b]) await p.client.ok('qna:upvote', { questionId: third.id, up: true });
      await a.client.ok('qna:upvote', { questionId: second.id, up: true });
      const s = await host.ok('interaction:sync', {});
      expect(s.questions.map((q) => q.id)).toEqual([third.id, second.id, first.id]);
    });

    it('limits length and rate', async () => {
      const [p] = await participants(1);
      expect(await p.client.request('qna:ask', { text: 'x'.repeat(301) })).toMatchObject({
        ok: false,
        error: { code: LiveErrorCode.InvalidPayload },
      });
      const acks = [];
      for (let i = 0; i < 6; i++) acks.push(await p.client.request('qna:ask', { text: `Pertanyaan ${i}` }));
      expect(acks.slice(0, 5).every((a) => a.ok)).toBe(true);
      expect(acks[5]).toMatchObject({ ok: false, error: { code: LiveErrorCode.RateLimited } });
    });

    it('hosts and moderators answer, dismiss and pin; participants are refused with an error ack', async () => {
      const [p, other] = await participants(2);
      const admin = await live.factory.user('admin');
      const moderator = await joined(admin.token);
      const q = await p.client.ok('qna:ask', { text: 'Bisa diulang?' });
      const q2 = await p.client.ok('qna:ask', { text: 'Materi dibagikan?' });
      for (const [event, payload] of [
        ['qna:answer', { questionId: q.id }],
        ['qna:dismiss', { questionId: q.id }],
        ['qna:pin', { questionId: q.id }],
      ] as const) {
        expect(await p.client.request(event, payload)).toMatchObject({
          ok: false,
          error: { code: LiveErrorCode.Forbidden },
        });
      }
      const pinnedSeen = collect(other.client, 'qna:pinned');
      const questionSeen = collect(other.client, 'qna:question');
      await host.ok('qna:pin', { questionId: q.id });
      await eventually(
        () => pinnedSeen.at(-1)?.questionId,
        (id) => id === q.id,
      );
      expect(
        await host.ok('qna:answer', { questionId: q.id, answer: 'Rekaman dibagikan setelah sesi.' }),
      ).toMatchObject({
        status: 'answered',
        answer: 'Rekaman dibagikan setelah sesi.',
      });
      await moderator.ok('qna:pin', { questionId: q2.id });
      await eventually(
        () => pinnedSeen.at(-1)?.questionId,
        (id) => id === q2.id,
      );
      await moderator.ok('qna:dismiss', { questionId: q2.id });
      await eventually(
        () => pinnedSeen.at(-1)?.questionId,
        (id) => id === null,
      );
      await eventually(
        () => questionSeen.map((x) => `${x.id}:${x.status}`),
        (l) => l.includes(`${q.id}:answered`) && l.includes(`${q2.id}:dismissed`),
      );
      const s = await other.client.ok('interaction:sync', {});
      expect(s.questions.map((x) => x.id)).toEqual([q.id]);
      expect(s.pinnedQuestionId).toBeNull();
      expect((await host.ok('interaction:sync', {})).questions).toHaveLength(2);
      expect(await other.client.request('qna:upvote', { questionId: q2.id, up: true })).toMatchObject({
        ok: false,
        error: { code: LiveErrorCode.BadState },
      });
    });

    it('survives a reconnect: questions, upvotes and the pin are there again', async () => {
      const [p] = await participants(1);
      const q = await p.client.ok('qna:ask', { text: 'Setelah sambung ulang?', anonymous: true });
      await p.client.ok('qna:upvote', { questionId: q.id, up: true });
      await host.ok('qna:pin', { questionId: q.id });
      p.client.close();
      const again = await joined(p.user.token);
      const s = await again.ok('interaction:sync', {});
      expect(s.questions).toEqual([expect.objectContaining({ id: q.id, upvotes: 1, pinned: true, authorId: null })]);
      expect(s).toMatchObject({ pinnedQuestionId: q.id, myUpvotes: [q.id], myQuestions: [q.id] });
    });
  });

  describe('polls', () => {
    const def = { question: 'Sudah paham materi izin edar?', options: ['Sudah', 'Belum', 'Sebagian'] };

    it('participants cannot create, launch, reveal or close, nor see private counts', async () => {
      const [p] = await participants(1);
      expect(await p.client.request('poll:create', def)).toMatchObject({
        ok: false,
        error: { code: LiveErrorCode.Forbidden },
      });
      const updates = collect(p.client, 'poll:updated');
      const counts = collect(p.client, 'poll:counts');
      const hostCounts = collect(host, 'poll:counts');
      const poll = await host.ok('poll:create', def);
      expect(poll).toMatchObject({ status: 'open', counts: [0, 0, 0], voters: 0 });
      for (const [event, payload] of [
        ['poll:close', { pollId: poll.id }],
        ['poll:reveal', { pollId: poll.id, revealed: true }],
        ['poll:launch', { pollId: poll.id }],
      ] as const) {
        expect(await p.client.request(event, payload)).toMatchObject({
          ok: false,
          error: { code: LiveErrorCode.Forbidden },
        });
      }
      await eventually(
        () => updates.length,
        (n) => n === 1,
      );
      expect(updates[0]).toMatchObject({ id: poll.id, counts: null, voters: null });
      await p.client.ok('poll:vote', { pollId: poll.id, choices: [1] });
      await eventually(
        () => hostCounts.at(-1)?.counts,
        (c) => c?.[1] === 1,
      );
      expect((await p.client.ok('interaction:sync', {})).polls[0]).toMatchObject({ counts: null, voters: null });
      expect(counts).toHaveLength(0);

      await host.ok('poll:reveal', { pollId: poll.id, revealed: true });
      await eventually(
        () => updates.at(-1),
        (u) => u?.revealed === true,
      );
      expect(updates.at(-1)).toMatchObject({ counts: [0, 1, 0], voters: 1 });
      const closed = await host.ok('poll:close', { pollId: poll.id });
      expect(closed).toMatchObject({ status: 'closed', counts: [0, 1, 0], voters: 1 });
      expect(await p.client.request('poll:vote', { pollId: poll.id, choices: [0] })).toMatchObject({
        ok: false,
        error: { code: LiveErrorCode.BadState },
      });
    });

    it('one vote per person when a poll does not allow changes, however many are sent at once', async () => {
      const [p, q] = await participants(2);
      const poll = await host.ok('poll:create', { ...def, allowChange: false });
      const votes = live.app.get<Model<PollVote>>(getModelToken(PollVote.name));
      const acks = await Promise.all(
        Array.from({ length: 10 }, (_, i) => p.client.request('poll:vote', { pollId: poll.id, choices: [i % 3] })),
      );
      expect(acks.filter((a) => a.ok)).toHaveLength(1);
      expect(acks.filter((a) => !a.ok).every((a) => !a.ok && a.error.code === LiveErrorCode.BadState)).toBe(true);
      await q.client.ok('poll:vote', { pollId: poll.id, choices: [2] });
      // Even if Redis loses the poll's live counts (a restart without its data), they are rebuilt from the
      // stored votes (one per person by their derived ids) and a second vote is still refused.
      await eventually(
        () => votes.countDocuments({ pollId: new Types.ObjectId(poll.id) }),
        (n) => n === 2,
      );
      await live.app.get(RedisClient).client.del(`poll:${poll.id}:votes`, `poll:${poll.id}:counts`);
      expect(await q.client.request('poll:vote', { pollId: poll.id, choices: [0] })).toMatchObject({
        ok: false,
        error: { code: LiveErrorCode.BadState },
      });
      const closed = await host.ok('poll:close', { pollId: poll.id });
      expect(closed.voters).toBe(2);
      expect(closed.counts!.reduce((a, b) => a + b, 0)).toBe(2);
      expect(await votes.countDocuments({ pollId: new Types.ObjectId(poll.id) })).toBe(2);
    });

    it('a changed vote replaces the earlier one (single and multiple choice); live and stored counts agree', async () => {
      const voters = await participants(8);
      const hostCounts = collect(host, 'poll:counts');
      const poll = await host.ok('poll:create', { ...def, multiple: true });
      // Everyone votes at once, one of them sending three different votes at once.
      await Promise.all([
        ...voters.map((v, i) => v.client.ok('poll:vote', { pollId: poll.id, choices: i % 2 ? [0] : [1, 2] })),
        voters[0].client.ok('poll:vote', { pollId: poll.id, choices: [0] }),
        voters[0].client.ok('poll:vote', { pollId: poll.id, choices: [2] }),
      ]);
      const last = await eventually(
        () => hostCounts.at(-1),
        (c) => c?.voters === 8,
      );
      const closed: PollInfo = await host.ok('poll:close', { pollId: poll.id });
      expect(closed.voters).toBe(8);
      expect(closed.counts).toEqual(last!.counts);
      const mine = (await voters[0].client.ok('interaction:sync', {})).myVotes[poll.id];
      const polls = live.app.get<Model<LivePoll>>(getModelToken(LivePoll.name));
      expect((await polls.findById(poll.id).lean())?.counts).toEqual(closed.counts);
      expect(mine).toBeDefined();
      // 10 votes, far fewer pushes.
      expect(hostCounts.length).toBeLessThan(10);
      const single = await host.ok('poll:create', def);
      expect(await voters[1].client.request('poll:vote', { pollId: single.id, choices: [0, 1] })).toMatchObject({
        ok: false,
        error: { code: LiveErrorCode.BadState },
      });
      expect(await voters[1].client.request('poll:vote', { pollId: single.id, choices: [5] })).toMatchObject({
        ok: false,
        error: { code: LiveErrorCode.BadState },
      });
    });

    it('launches a poll prepared on the course page once per session; only one poll is open at a time', async () => {
      const polls = live.app.get<Model<LivePoll>>(getModelToken(LivePoll.name));
      const prepared = await polls.create({
        courseId: new Types.ObjectId(course.courseId),
        question: 'Topik berikutnya?',
        options: ['Pemasaran', 'Keuangan'],
        multiple: false,
        allowChange: true,
        status: 'prepared',
        createdBy: new Types.ObjectId(course.trainer.id),
      });
      const s = await host.ok('interaction:sync', {});
      expect(s.prepared.map((p) => p.id)).toEqual([String(prepared._id)]);
      const [p] = await participants(1);
      expect((await p.client.ok('interaction:sync', {})).prepared).toEqual([]);
      const launched = await host.ok('poll:launch', { pollId: String(prepared._id) });
      expect(launched).toMatchObject({ status: 'open', question: 'Topik berikutnya?' });
      expect(await host.request('poll:create', def)).toMatchObject({
        ok: false,
        error: { code: LiveErrorCode.BadState },
      });
      await host.ok('poll:close', { pollId: launched.id });
      expect(await host.request('poll:launch', { pollId: String(prepared._id) })).toMatchObject({
        ok: false,
        error: { code: LiveErrorCode.BadState },
      });
      expect((await polls.findById(prepared._id).lean())?.status).toBe('prepared');
    });

    it('survives a reconnect: the open poll, its counts for the host, and my vote', async () => {
      const [p] = await participants(1);
      const poll = await host.ok('poll:create', def);
      await p.client.ok('poll:vote', { pollId: poll.id, choices: [2] });
      p.client.close();
      host.close();
      await sleep(100);
      const again = await joined(p.user.token);
      expect((await again.ok('interaction:sync', {})).myVotes).toEqual({ [poll.id]: [2] });
      const hostAgain = await joined(course.trainer.token);
      const s = await hostAgain.ok('interaction:sync', {});
      expect(s.polls[0]).toMatchObject({ id: poll.id, status: 'open', counts: [0, 0, 1], voters: 1 });
    });
  });
});
