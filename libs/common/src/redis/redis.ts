import Redis, { RedisOptions } from 'ioredis';

/**
 * Redis connections for this platform. BullMQ needs `maxRetriesPerRequest: null`
 * on the connections it blocks on; everything else shares the same settings so
 * a Redis restart is survived by reconnecting rather than crashing.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    ...options,
  });
}
