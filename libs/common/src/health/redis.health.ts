import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from './with-timeout';

/** Anything that answers PING: an ioredis client or BullMQ's connection. */
export interface Pingable {
  ping(): Promise<string>;
}

/** Terminus indicator: Redis answers PING within the timeout. */
@Injectable()
export class RedisHealthIndicator {
  constructor(private readonly health: HealthIndicatorService) {}

  async pingCheck(key: string, redis: Pingable, timeoutMs = 3000): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    try {
      const pong = await withTimeout(redis.ping(), timeoutMs);
      return pong === 'PONG' ? indicator.up() : indicator.down({ message: `unexpected reply ${String(pong)}` });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
