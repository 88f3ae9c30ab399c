import { HttpStatus, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppException, RedisClient } from '@balai/common';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Short critical sections across API replicas (Redis SET NX PX + token-checked
 * release). Needed because the MongoDB-protocol server used in development and
 * CI (FerretDB 1.24) does not apply concurrent `$inc`/`findAndModify` on one
 * document atomically (50 parallel `$inc` ended at 4 in our probe), so counters
 * such as a course's seats are only changed while holding the course's lock.
 * The conditional updates inside remain as a second guard on real MongoDB.
 */
@Injectable()
export class RedisMutex {
  constructor(private readonly redis: RedisClient) {}

  async withLocks<T>(names: string[], work: () => Promise<T>, waitMs = 15_000): Promise<T> {
    const keys = [...new Set(names)].sort().map((n) => `lock:${n}`);
    const token = randomUUID();
    const held: string[] = [];
    try {
      for (const key of keys) {
        if (!(await this.acquire(key, token, waitMs))) {
          throw new AppException(HttpStatus.SERVICE_UNAVAILABLE, 'BUSY', {
            id: 'Server sedang sibuk. Silakan coba lagi sebentar lagi.',
            en: 'The server is busy. Please try again shortly.',
          });
        }
        held.push(key);
      }
      return await work();
    } finally {
      for (const key of held.reverse()) await this.redis.client.eval(RELEASE, 1, key, token);
    }
  }

  withLock<T>(name: string, work: () => Promise<T>, waitMs?: number): Promise<T> {
    return this.withLocks([name], work, waitMs);
  }

  private async acquire(key: string, token: string, waitMs: number): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      if ((await this.redis.client.set(key, token, 'PX', 10_000, 'NX')) === 'OK') return true;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 3 + Math.random() * 7));
    }
  }
}
