import { HttpStatus, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppException, RedisClient } from '@balai/common';

/**
 * Take the attempt's lock unless the attempt is already closed: 1 = taken,
 * 0 = closed (the submit marker exists), 2 = someone holds the lock.
 */
const ACQUIRE_FOR_SAVE = `
if redis.call('exists', KEYS[2]) == 1 then return 0 end
if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
return 2`;
const ACQUIRE = `if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end return 2`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const HOLD_MS = 10_000;

export const attemptSubmitted = () =>
  new AppException(HttpStatus.CONFLICT, 'ATTEMPT_SUBMITTED', {
    id: 'Tes ini sudah dikumpulkan.',
    en: 'This attempt has been submitted.',
  });

/**
 * Makes per-answer saves and the closing of an attempt (submit, or the time
 * running out) consistent across API replicas: both hold the attempt's one
 * Redis lock, and closing first sets a "closed" marker that every later save
 * sees in the same atomic step that would give it the lock. So a save that was
 * answered 200 was stored before the score was computed and is in it, and a
 * save that arrives after the close is a 409, never a silently unscored answer.
 * The marker also spares the save path a database read of the attempt's state.
 * (If Redis lost its data while an attempt is submitted but before its
 * deadline, a save could be stored and not scored; the deadline still bounds it.)
 */
@Injectable()
export class AttemptGate {
  constructor(private readonly redis: RedisClient) {}

  /** Runs `work` (one answer write) under the attempt's lock; a closed attempt is a 409 ATTEMPT_SUBMITTED. */
  async save<T>(attemptId: string, work: () => Promise<T>, waitMs = 15_000): Promise<T> {
    const token = await this.acquire(attemptId, ACQUIRE_FOR_SAVE, waitMs);
    try {
      return await work();
    } finally {
      await this.release(attemptId, token);
    }
  }

  /**
   * Runs `work` (read the saved answers, score, store the result) under the
   * attempt's lock, after marking the attempt closed until `keepMs` from now
   * (past its deadline: later saves are refused by the clock anyway).
   */
  async close<T>(attemptId: string, keepMs: number, work: () => Promise<T>, waitMs = 15_000): Promise<T> {
    const token = await this.acquire(attemptId, ACQUIRE, waitMs);
    try {
      await this.redis.client.set(this.marker(attemptId), '1', 'PX', Math.max(60_000, Math.ceil(keepMs)));
      return await work();
    } finally {
      await this.release(attemptId, token);
    }
  }

  private lock(attemptId: string): string {
    return `lock:assess-attempt:${attemptId}`;
  }

  private marker(attemptId: string): string {
    return `assess-closed:${attemptId}`;
  }

  private async acquire(attemptId: string, script: string, waitMs: number): Promise<string> {
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    const keys = script === ACQUIRE ? [this.lock(attemptId)] : [this.lock(attemptId), this.marker(attemptId)];
    for (;;) {
      const got = Number(await this.redis.client.eval(script, keys.length, ...keys, token, HOLD_MS));
      if (got === 1) return token;
      if (got === 0) throw attemptSubmitted();
      if (Date.now() > deadline)
        throw new AppException(HttpStatus.SERVICE_UNAVAILABLE, 'BUSY', {
          id: 'Server sedang sibuk. Silakan coba lagi sebentar lagi.',
          en: 'The server is busy. Please try again shortly.',
        });
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 6));
    }
  }

  private async release(attemptId: string, token: string): Promise<void> {
    await this.redis.client.eval(RELEASE, 1, this.lock(attemptId), token);
  }
}
