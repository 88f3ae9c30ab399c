/**
 * Who has an open attendance interval, and which live node answers for it, in
 * Redis (so it outlives the process that opened it):
 *   presence-owner:<sessionId>:<userId> = node id   (at most one open interval per person and session)
 *   presence:<nodeId>  hash  <sessionId>:<userId> -> "<opened-at ISO>|<join event id>"
 *                      (records written before the join id was kept hold the ISO instant alone)
 *   node-beat          zset  node id -> last heartbeat (ms); node-lease:<nodeId> expires when it stops
 * A rejoin on any node continues the open interval (taking it over) instead of
 * opening a second one; closing is compare-and-delete on the owner, so an
 * interval is closed once however many nodes try.
 */
import { Injectable } from '@nestjs/common';
import { RedisClient } from '@balai/common';

const OWNER_TTL_MS = 2 * 24 * 3600_000;

const OPEN = `
local owner = redis.call('get', KEYS[1])
if owner then
  if owner ~= ARGV[1] then
    local previous = ARGV[4] .. 'presence:' .. owner
    local since = redis.call('hget', previous, ARGV[2])
    redis.call('hdel', previous, ARGV[2])
    redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[5])
    redis.call('hset', KEYS[2], ARGV[2], since or ARGV[3])
  else
    redis.call('hsetnx', KEYS[2], ARGV[2], ARGV[3])
  end
  return redis.call('hget', KEYS[2], ARGV[2])
end
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[5])
redis.call('hset', KEYS[2], ARGV[2], ARGV[3])
return 1`;

const CLOSE = `
local owner = redis.call('get', KEYS[1])
if not owner then return 0 end
if ARGV[1] ~= '' and owner ~= ARGV[1] then return 0 end
local record = redis.call('hget', ARGV[3] .. 'presence:' .. owner, ARGV[2])
redis.call('del', KEYS[1])
redis.call('hdel', ARGV[3] .. 'presence:' .. owner, ARGV[2])
return record or ''`;

export interface OpenInterval {
  sessionId: string;
  userId: string;
  /** The join event that opened it (the API's interval is keyed by it); unknown for older records. */
  joinEventId?: string;
}

/** The join event id kept in a presence record ("<ISO>|<id>"), or undefined for an older record. */
export function joinEventIdOf(record: string | null | undefined): string | undefined {
  if (!record) return undefined;
  const bar = record.indexOf('|');
  return bar === -1 ? undefined : record.slice(bar + 1) || undefined;
}

export type OpenOutcome = { outcome: 'opened' } | { outcome: 'continued'; joinEventId?: string };

@Injectable()
export class PresenceStore {
  constructor(private readonly redis: RedisClient) {}

  private get prefix(): string {
    return this.redis.client.options.keyPrefix ?? '';
  }

  private ownerKey(sessionId: string, userId: string): string {
    return `presence-owner:${sessionId}:${userId}`;
  }

  private nodeKey(nodeId: string): string {
    return `presence:${nodeId}`;
  }

  /**
   * 'opened' when this is a new interval (report a join with `joinEventId`),
   * 'continued' when one was open (on any node), with the id of the join that opened it.
   */
  async open(nodeId: string, sessionId: string, userId: string, at: Date, joinEventId: string): Promise<OpenOutcome> {
    const result = await this.redis.client.eval(
      OPEN,
      2,
      this.ownerKey(sessionId, userId),
      this.nodeKey(nodeId),
      nodeId,
      `${sessionId}:${userId}`,
      `${at.toISOString()}|${joinEventId}`,
      this.prefix,
      String(OWNER_TTL_MS),
    );
    if (result === 1) return { outcome: 'opened' };
    return { outcome: 'continued', joinEventId: joinEventIdOf(typeof result === 'string' ? result : null) };
  }

  /**
   * Closes the open interval if `nodeId` (or, with null, anyone) answers for
   * it. null when this call did not close it; else the interval, with the join
   * event id when the record kept it.
   */
  async close(nodeId: string | null, sessionId: string, userId: string): Promise<OpenInterval | null> {
    const result = await this.redis.client.eval(
      CLOSE,
      1,
      this.ownerKey(sessionId, userId),
      nodeId ?? '',
      `${sessionId}:${userId}`,
      this.prefix,
    );
    if (result === 0 || result === null) return null;
    return { sessionId, userId, joinEventId: joinEventIdOf(typeof result === 'string' ? result : null) };
  }

  async openOn(nodeId: string): Promise<OpenInterval[]> {
    const records = await this.redis.client.hgetall(this.nodeKey(nodeId));
    return Object.entries(records).map(([field, record]) => {
      const [sessionId, userId] = field.split(':');
      return { sessionId, userId, joinEventId: joinEventIdOf(record) };
    });
  }

  // ---- node heartbeat / lease ----

  async beat(nodeId: string, now: number, leaseMs: number): Promise<void> {
    await this.redis.client
      .multi()
      .set(`node-lease:${nodeId}`, String(now), 'PX', leaseMs)
      .zadd('node-beat', now, nodeId)
      .exec();
  }

  /** The last heartbeat recorded for a node (ms), or null. */
  async lastBeat(nodeId: string): Promise<number | null> {
    const score = await this.redis.client.zscore('node-beat', nodeId);
    return score === null ? null : Number(score);
  }

  /** Nodes whose lease has expired (they stopped answering), with their last heartbeat. */
  async silentNodes(now: number, leaseMs: number): Promise<Array<{ nodeId: string; lastBeat: number }>> {
    const list = await this.redis.client.zrangebyscore('node-beat', '-inf', now - leaseMs, 'WITHSCORES');
    const nodes: Array<{ nodeId: string; lastBeat: number }> = [];
    for (let i = 0; i < list.length; i += 2) {
      if ((await this.redis.client.exists(`node-lease:${list[i]}`)) === 0)
        nodes.push({ nodeId: list[i], lastBeat: Number(list[i + 1]) });
    }
    return nodes;
  }

  /** One recoverer per silent node at a time. */
  async lockRecovery(nodeId: string, ms: number): Promise<boolean> {
    return (await this.redis.client.set(`node-recover:${nodeId}`, '1', 'PX', ms, 'NX')) === 'OK';
  }

  /** Forget a node that has no open interval left (or is shutting down cleanly). */
  async forgetNode(nodeId: string): Promise<void> {
    if ((await this.redis.client.hlen(this.nodeKey(nodeId))) === 0) {
      await this.redis.client.multi().zrem('node-beat', nodeId).del(`node-lease:${nodeId}`).exec();
    }
  }
}
