import { Controller, Get } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import type { Connection } from 'mongoose';
import { MongoHealthIndicator, RedisClient, RedisHealthIndicator } from '@balai/common';
import { MediasoupHealthIndicator } from './mediasoup.health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongo: MongoHealthIndicator,
    private readonly redisIndicator: RedisHealthIndicator,
    private readonly mediasoup: MediasoupHealthIndicator,
    @InjectConnection() private readonly connection: Connection,
    private readonly redis: RedisClient,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.mongo.pingCheck('mongodb', this.connection),
      () => this.redisIndicator.pingCheck('redis', this.redis.client),
      () => this.mediasoup.check('mediasoup'),
    ]);
  }
}
