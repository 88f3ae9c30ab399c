import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { SharedEnv } from '@balai/config';
import { createRedis } from './redis';

const SERVICE_NAME = Symbol('REDIS_SERVICE_NAME');
const CLIENT_OPTIONS = Symbol('REDIS_CLIENT_OPTIONS');

/**
 * A service's general-purpose Redis connection (rate limits, room map, health),
 * with keys under `<REDIS_PREFIX>:<service>:`. BullMQ keeps its own connections.
 */
@Injectable()
export class RedisClient implements OnApplicationShutdown {
  readonly client: Redis;

  constructor(
    config: ConfigService<SharedEnv, true>,
    @Inject(SERVICE_NAME) service: string,
    @Inject(CLIENT_OPTIONS) options: RedisOptions,
  ) {
    this.client = createRedis(config.get('REDIS_URL', { infer: true }), {
      ...options,
      keyPrefix: `${config.get('REDIS_PREFIX', { infer: true })}:${service}:`,
    });
  }

  onApplicationShutdown(): void {
    this.client.disconnect();
  }
}

@Global()
@Module({})
export class RedisModule {
  /** `options` override the shared connection settings (e.g. the live service fails fast instead of queueing). */
  static forService(service: string, options: RedisOptions = {}): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        { provide: SERVICE_NAME, useValue: service },
        { provide: CLIENT_OPTIONS, useValue: options },
        RedisClient,
      ],
      exports: [RedisClient],
    };
  }
}
