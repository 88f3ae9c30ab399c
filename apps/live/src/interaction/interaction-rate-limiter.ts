/** Fixed-window limit on questions per person and session, in Redis (holds across nodes and reconnects). */
import { Injectable } from '@nestjs/common';
import { RedisClient } from '@balai/common';

/** A person may ask this many questions per window; enough for a real audience, not for a flood. */
export const QUESTIONS_PER_WINDOW = 5;
export const QUESTION_WINDOW_MS = 60_000;

@Injectable()
export class InteractionRateLimiter {
  constructor(private readonly redis: RedisClient) {}

  async allowQuestion(sessionId: string, userId: string): Promise<boolean> {
    const key = `qna-rate:${sessionId}:${userId}`;
    const [[, count]] = (await this.redis.client.multi().incr(key).pexpire(key, QUESTION_WINDOW_MS, 'NX').exec()) as [
      [Error | null, number],
      [Error | null, number],
    ];
    return count <= QUESTIONS_PER_WINDOW;
  }
}
