import { Injectable, Module } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthIndicatorFunction, TerminusModule } from '@nestjs/terminus';
import type { Connection } from 'mongoose';
import { RedisClient } from '../redis/redis.module';
import { MongoHealthIndicator } from './mongo.health';
import { RedisHealthIndicator } from './redis.health';

/** The checks every Balai service shares: its MongoDB connection and its Redis. */
@Injectable()
export class DependencyHealth {
  constructor(
    private readonly mongo: MongoHealthIndicator,
    private readonly redisIndicator: RedisHealthIndicator,
    @InjectConnection() private readonly connection: Connection,
    private readonly redis: RedisClient,
  ) {}

  checks(): HealthIndicatorFunction[] {
    return [
      () => this.mongo.pingCheck('mongodb', this.connection),
      () => this.redisIndicator.pingCheck('redis', this.redis.client),
    ];
  }
}

/** Terminus plus the shared dependency checks; each app adds its own controller. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' })],
  providers: [MongoHealthIndicator, RedisHealthIndicator, DependencyHealth],
  exports: [TerminusModule, DependencyHealth],
})
export class DependencyHealthModule {}
