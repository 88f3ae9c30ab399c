/**
 * Live counts of upvotes and poll votes in Redis, changed by atomic scripts:
 * the one-vote-per-person rule for what the room sees holds across live nodes
 * and concurrent requests (each script reads the person's previous vote and
 * moves the counts in one step). The database keeps the votes themselves
 * (InteractionRepository); closing a poll recounts from there.
 */
import { Injectable } from '@nestjs/common';
import { RedisClient } from '@balai/common';

/** Keys outlive a session by two days (the session page reads the database, not these). */
const TTL_MS = 2 * 86_400_000;

const UPVOTE = `
if redis.call('hexists', KEYS[1], '_live') == 0 then return {-1, 0} end
local changed
if ARGV[3] == '1' then changed = redis.call('sadd', KEYS[2], ARGV[1]) else changed = redis.call('srem', KEYS[2], ARGV[1]) end
if changed == 1 then
  if ARGV[3] == '1' then redis.call('sadd', KEYS[3], ARGV[2]) else redis.call('srem', KEYS[3], ARGV[2]) end
  redis.call('hincrby', KEYS[1], ARGV[2], ARGV[3] == '1' and 1 or -1)
end
for i = 1, 3 do redis.call('pexpire', KEYS[i], ARGV[4]) end
return {changed, tonumber(redis.call('hget', KEYS[1], ARGV[2]) or '0')}`;

const VOTE = `
if redis.call('hexists', KEYS[2], 'live') == 0 then return {'missing', ''} end
local old = redis.call('hget', KEYS[1], ARGV[1])
if old then
  if ARGV[3] ~= '1' then return {'locked', old} end
  if old == ARGV[2] then return {'same', old} end
  for c in string.gmatch(old, '[^,]+') do redis.call('hincrby', KEYS[2], c, -1) end
else
  redis.call('hincrby', KEYS[2], 'voters', 1)
end
for c in string.gmatch(ARGV[2], '[^,]+') do redis.call('hincrby', KEYS[2], c, 1) end
redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
redis.call('pexpire', KEYS[1], ARGV[4])
redis.call('pexpire', KEYS[2], ARGV[4])
return {'ok', old or ''}`;

/** Undo of VOTE (the database refused the vote): only while the person's vote is still the one it set. */
const UNVOTE = `
if redis.call('hget', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
for c in string.gmatch(ARGV[2], '[^,]+') do redis.call('hincrby', KEYS[2], c, -1) end
if ARGV[3] == '' then
  redis.call('hdel', KEYS[1], ARGV[1])
  redis.call('hincrby', KEYS[2], 'voters', -1)
else
  for c in string.gmatch(ARGV[3], '[^,]+') do redis.call('hincrby', KEYS[2], c, 1) end
  redis.call('hset', KEYS[1], ARGV[1], ARGV[3])
end
return 1`;

/** Replaces a poll's live counts with a recount from the database. */
const RESET = `
redis.call('del', KEYS[1], KEYS[2])
local n = 0
for i = 1, #ARGV, 2 do
  redis.call('hset', KEYS[1], ARGV[i], ARGV[i + 1])
  n = n + 1
  for c in string.gmatch(ARGV[i + 1], '[^,]+') do redis.call('hincrby', KEYS[2], c, 1) end
end
redis.call('hset', KEYS[2], 'voters', n)
redis.call('hset', KEYS[2], 'live', 1)
redis.call('pexpire', KEYS[1], ${TTL_MS})
redis.call('pexpire', KEYS[2], ${TTL_MS})
return n`;

export type VoteOutcome =
  | { result: 'ok'; previous: number[] | null }
  | { result: 'locked' | 'same'; previous: number[] }
  | { result: 'missing' };

const csv = (choices: number[]) => [...choices].sort((a, b) => a - b).join(',');
const parse = (value: string): number[] => (value ? value.split(',').map(Number) : []);

@Injectable()
export class InteractionCountsStore {
  constructor(private readonly redis: RedisClient) {}

  private upKey = (sessionId: string) => `qna:${sessionId}:up`;
  private votersKey = (questionId: string) => `qna:q:${questionId}:voters`;
  private mineKey = (sessionId: string, userId: string) => `qna:${sessionId}:mine:${userId}`;
  private voteKey = (pollId: string) => `poll:${pollId}:votes`;
  private countKey = (pollId: string) => `poll:${pollId}:counts`;

  /** Sets or takes back one person's upvote; `changed` false when it already was so. */
  async upvote(
    sessionId: string,
    questionId: string,
    userId: string,
    up: boolean,
  ): Promise<{ changed: boolean; count: number; missing: boolean }> {
    const [changed, count] = (await this.redis.client.eval(
      UPVOTE,
      3,
      this.upKey(sessionId),
      this.votersKey(questionId),
      this.mineKey(sessionId, userId),
      userId,
      questionId,
      up ? '1' : '0',
      String(TTL_MS),
    )) as [number, number];
    return { changed: changed === 1, count, missing: changed === -1 };
  }

  /** false when Redis lost the session's upvote state (it restarted empty, or none was made yet). */
  async hasQna(sessionId: string): Promise<boolean> {
    return (await this.redis.client.hexists(this.upKey(sessionId), '_live')) === 1;
  }

  /** Replaces the session's live upvote state with the stored upvotes, in one MULTI. */
  async resetQna(
    sessionId: string,
    questionIds: string[],
    upvotes: Array<{ questionId: string; userId: string }>,
  ): Promise<void> {
    const byQuestion = new Map<string, string[]>();
    const byUser = new Map<string, string[]>();
    for (const { questionId, userId } of upvotes) {
      byQuestion.set(questionId, [...(byQuestion.get(questionId) ?? []), userId]);
      byUser.set(userId, [...(byUser.get(userId) ?? []), questionId]);
    }
    const questions = [...new Set([...questionIds, ...byQuestion.keys()])];
    const m = this.redis.client.multi();
    m.del(
      this.upKey(sessionId),
      ...questions.map((q) => this.votersKey(q)),
      ...[...byUser.keys()].map((u) => this.mineKey(sessionId, u)),
    );
    const counts: Record<string, number> = { _live: 1 };
    for (const [q, users] of byQuestion) {
      counts[q] = users.length;
      m.sadd(this.votersKey(q), ...users).pexpire(this.votersKey(q), TTL_MS);
    }
    for (const [u, qs] of byUser) m.sadd(this.mineKey(sessionId, u), ...qs).pexpire(this.mineKey(sessionId, u), TTL_MS);
    m.hset(this.upKey(sessionId), counts).pexpire(this.upKey(sessionId), TTL_MS);
    await m.exec();
  }

  async upvoteCounts(sessionId: string, questionIds?: string[]): Promise<Record<string, number>> {
    if (questionIds) {
      if (!questionIds.length) return {};
      const values = await this.redis.client.hmget(this.upKey(sessionId), ...questionIds);
      return Object.fromEntries(questionIds.map((id, i) => [id, Number(values[i] ?? 0)]));
    }
    const all = await this.redis.client.hgetall(this.upKey(sessionId));
    return Object.fromEntries(
      Object.entries(all)
        .filter(([id]) => id !== '_live')
        .map(([id, n]) => [id, Number(n)]),
    );
  }

  async myUpvotes(sessionId: string, userId: string): Promise<string[]> {
    return this.redis.client.smembers(this.mineKey(sessionId, userId));
  }

  async vote(pollId: string, userId: string, choices: number[], allowChange: boolean): Promise<VoteOutcome> {
    const [result, previous] = (await this.redis.client.eval(
      VOTE,
      2,
      this.voteKey(pollId),
      this.countKey(pollId),
      userId,
      csv(choices),
      allowChange ? '1' : '0',
      String(TTL_MS),
    )) as [string, string];
    if (result === 'ok') return { result, previous: previous ? parse(previous) : null };
    if (result === 'missing') return { result };
    return { result: result as 'locked' | 'same', previous: parse(previous) };
  }

  async undoVote(pollId: string, userId: string, choices: number[], previous: number[] | null): Promise<void> {
    await this.redis.client.eval(
      UNVOTE,
      2,
      this.voteKey(pollId),
      this.countKey(pollId),
      userId,
      csv(choices),
      previous ? csv(previous) : '',
    );
  }

  /** Every person's vote as the live counts hold it; null when the poll's live state is gone (Redis lost it). */
  async allVotes(pollId: string): Promise<Map<string, number[]> | null> {
    const [live, votes] = await Promise.all([
      this.redis.client.hexists(this.countKey(pollId), 'live'),
      this.redis.client.hgetall(this.voteKey(pollId)),
    ]);
    if (!live) return null;
    return new Map(Object.entries(votes).map(([userId, v]) => [userId, parse(v)]));
  }

  async hasPoll(pollId: string): Promise<boolean> {
    return (await this.redis.client.hexists(this.countKey(pollId), 'live')) === 1;
  }

  async myVote(pollId: string, userId: string): Promise<number[] | null> {
    const value = await this.redis.client.hget(this.voteKey(pollId), userId);
    return value ? parse(value) : null;
  }

  async pollCounts(pollId: string, options: number): Promise<{ counts: number[]; voters: number }> {
    const all = await this.redis.client.hgetall(this.countKey(pollId));
    const counts = Array.from({ length: options }, (_, i) => Number(all[String(i)] ?? 0));
    return { counts, voters: Number(all.voters ?? 0) };
  }

  async resetPoll(pollId: string, votes: Array<{ userId: string; choices: number[] }>): Promise<void> {
    const args = votes.flatMap((v) => [v.userId, csv(v.choices)]);
    await this.redis.client.eval(RESET, 2, this.voteKey(pollId), this.countKey(pollId), ...args);
  }
}
