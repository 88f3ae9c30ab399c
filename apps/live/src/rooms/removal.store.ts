/**
 * Who was removed from which session: a Redis set per session, kept until the
 * session's admission window has closed. Checked at every join, on every node.
 */
import { Injectable } from '@nestjs/common';
import { RedisClient } from '@balai/common';

@Injectable()
export class RemovalStore {
  constructor(private readonly redis: RedisClient) {}

  private key(sessionId: string): string {
    return `removed:${sessionId}`;
  }

  async add(sessionId: string, userId: string, keepUntil: Date): Promise<void> {
    const key = this.key(sessionId);
    await this.redis.client
      .multi()
      .sadd(key, userId)
      .pexpireat(key, Math.max(keepUntil.getTime(), Date.now() + 60_000))
      .exec();
  }

  async isRemoved(sessionId: string, userId: string): Promise<boolean> {
    return (await this.redis.client.sismember(this.key(sessionId), userId)) === 1;
  }
}
