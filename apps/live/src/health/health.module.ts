import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MongoHealthIndicator, RedisHealthIndicator } from '@balai/common';
import { MediaModule } from '../media/media.module';
import { HealthController } from './health.controller';
import { MediasoupHealthIndicator } from './mediasoup.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' }), MediaModule],
  controllers: [HealthController],
  providers: [MongoHealthIndicator, RedisHealthIndicator, MediasoupHealthIndicator],
})
export class HealthModule {}
