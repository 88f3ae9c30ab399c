/**
 * Which live node hosts which session: the single place that decides, backed by
 * a Redis key per session (`room-node:<sessionId>` = node id) claimed with
 * SET NX and kept alive while the room lives. A second node asked for a
 * session it does not own refuses with ROOM_ON_OTHER_NODE and names the owner,
 * so a load balancer or the client can go there. The node id is stable across
 * restarts (see node-id.ts), so a restarted node takes its rooms back at once.
 */
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RedisClient } from '@balai/common';
import { resolveNodeId } from '../cluster/node-id';
import type { LiveAppEnv } from '../config/live-config';

const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const REFRESH_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export type ClaimResult = { owned: true } | { owned: false; nodeId: string };

@Injectable()
export class RoomNodeMap implements OnModuleDestroy {
  readonly nodeId: string;
  private readonly ttlMs: number;
  private readonly refreshers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly redis: RedisClient,
    config: ConfigService<LiveAppEnv, true>,
  ) {
    this.nodeId = resolveNodeId(config);
    this.ttlMs = config.get('ROOM_CLAIM_TTL_MS', { infer: true });
  }

  private key(sessionId: string): string {
    return `room-node:${sessionId}`;
  }

  async claim(sessionId: string): Promise<ClaimResult> {
    const key = this.key(sessionId);
    const set = await this.redis.client.set(key, this.nodeId, 'PX', this.ttlMs, 'NX');
    if (set !== 'OK') {
      const owner = await this.redis.client.get(key);
      if (owner && owner !== this.nodeId) return { owned: false, nodeId: owner };
      await this.redis.client.set(key, this.nodeId, 'PX', this.ttlMs);
    }
    if (!this.refreshers.has(sessionId)) {
      const timer = setInterval(
        () => {
          void this.redis.client.eval(REFRESH_IF_OWNER, 1, key, this.nodeId, String(this.ttlMs)).catch(() => undefined);
        },
        Math.max(500, Math.floor(this.ttlMs / 3)),
      );
      timer.unref();
      this.refreshers.set(sessionId, timer);
    }
    return { owned: true };
  }

  async ownerOf(sessionId: string): Promise<string | null> {
    return this.redis.client.get(this.key(sessionId));
  }

  async release(sessionId: string): Promise<void> {
    clearInterval(this.refreshers.get(sessionId));
    this.refreshers.delete(sessionId);
    await this.redis.client.eval(RELEASE_IF_OWNER, 1, this.key(sessionId), this.nodeId).catch(() => undefined);
  }

  /** Frees a session's claim held by a node that stopped answering (compare-and-delete on that node's id). */
  async releaseFor(deadNodeId: string, sessionId: string): Promise<boolean> {
    return (await this.redis.client.eval(RELEASE_IF_OWNER, 1, this.key(sessionId), deadNodeId)) === 1;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.refreshers.keys()].map((sessionId) => this.release(sessionId)));
  }
}
