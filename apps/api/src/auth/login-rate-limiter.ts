import { HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppException, RedisClient, STATUS_DEFAULTS } from '@balai/common';
import type { ApiEnv } from '@balai/config';
import { createHash } from 'node:crypto';

/**
 * Fixed one-minute windows in Redis, per account (e-mail) and per client IP, so
 * limits hold across API replicas. Every attempt counts, successful or not: a
 * password sprayer learns nothing from the timing of the 429.
 */
@Injectable()
export class LoginRateLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly config: ConfigService<ApiEnv, true>,
  ) {}

  async hit(scope: string, email: string, ip: string): Promise<void> {
    const window = Math.floor(Date.now() / 60_000);
    const account = createHash('sha256').update(email).digest('hex').slice(0, 32);
    const [acct, byIp] = await Promise.all([
      this.bump(`rl:${scope}:acct:${account}:${window}`),
      this.bump(`rl:${scope}:ip:${ip}:${window}`),
    ]);
    if (
      acct > this.config.get('AUTH_RATE_LIMIT_PER_MINUTE', { infer: true }) ||
      byIp > this.config.get('AUTH_IP_RATE_LIMIT_PER_MINUTE', { infer: true })
    ) {
      const d = STATUS_DEFAULTS[HttpStatus.TOO_MANY_REQUESTS]!;
      throw new AppException(HttpStatus.TOO_MANY_REQUESTS, d.code, d.text);
    }
  }

  /** Per client IP only (e.g. registrations, where there is no account yet). */
  async hitIp(scope: string, ip: string): Promise<void> {
    const window = Math.floor(Date.now() / 60_000);
    if (
      (await this.bump(`rl:${scope}:ip:${ip}:${window}`)) >
      this.config.get('AUTH_IP_RATE_LIMIT_PER_MINUTE', { infer: true })
    ) {
      const d = STATUS_DEFAULTS[HttpStatus.TOO_MANY_REQUESTS]!;
      throw new AppException(HttpStatus.TOO_MANY_REQUESTS, d.code, d.text);
    }
  }

  private async bump(key: string): Promise<number> {
    const [[, count]] = (await this.redis.client.multi().incr(key).expire(key, 120).exec()) as [
      [Error | null, number],
      unknown,
    ];
    return count;
  }
}
