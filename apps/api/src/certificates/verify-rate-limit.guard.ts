/**
 * Public verification is rate-limited per client IP with a fixed one-minute
 * window in Redis, so the limit holds across API instances and codes cannot be
 * enumerated (they are 128-bit random anyway).
 */
import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request, Response } from 'express';
import { AppException, RedisClient, STATUS_DEFAULTS } from '@balai/common';
import type { ApiEnv } from '@balai/config';

@Injectable()
export class VerifyRateLimitGuard implements CanActivate {
  constructor(
    private readonly redis: RedisClient,
    private readonly config: ConfigService<ApiEnv, true>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const limit = this.config.get('VERIFY_RATE_LIMIT_PER_MINUTE', { infer: true });
    const window = Math.floor(Date.now() / 60_000);
    const key = `verify-rate:${request.ip ?? 'unknown'}:${window}`;
    const [[, count]] = (await this.redis.client.multi().incr(key).expire(key, 70).exec()) as [[Error | null, number]];
    response.setHeader('RateLimit-Limit', String(limit));
    response.setHeader('RateLimit-Remaining', String(Math.max(0, limit - count)));
    if (count > limit) {
      response.setHeader('Retry-After', String(60 - Math.floor((Date.now() / 1000) % 60)));
      const d = STATUS_DEFAULTS[HttpStatus.TOO_MANY_REQUESTS]!;
      throw new AppException(HttpStatus.TOO_MANY_REQUESTS, d.code, d.text);
    }
    return true;
  }
}
