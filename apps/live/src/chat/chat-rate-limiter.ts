/** Fixed-window chat rate limit per user and session, in Redis (so it holds across nodes and reconnects). */
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RedisClient } from '@balai/common';
import type { LiveAppEnv } from '../config/live-config';

@Injectable()
export class ChatRateLimiter {
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(
    private readonly redis: RedisClient,
    config: ConfigService<LiveAppEnv, true>,
  ) {
    this.limit = config.get('CHAT_RATE_LIMIT_COUNT', { infer: true });
    this.windowMs = config.get('CHAT_RATE_LIMIT_WINDOW_MS', { infer: true });
  }

  /** Counts one message; false when the user is over the limit for the current window. */
  async allow(sessionId: string, userId: string): Promise<boolean> {
    const key = `chat-rate:${sessionId}:${userId}`;
    const [[, count]] = (await this.redis.client.multi().incr(key).pexpire(key, this.windowMs, 'NX').exec()) as [
      [Error | null, number],
      [Error | null, number],
    ];
    return count <= this.limit;
  }
}
