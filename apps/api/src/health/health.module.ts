import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MongoHealthIndicator, RedisHealthIndicator } from '@balai/common';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [MongoHealthIndicator, RedisHealthIndicator],
})
export class HealthModule {}
