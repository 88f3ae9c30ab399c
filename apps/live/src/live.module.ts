import { Module } from '@nestjs/common';
import { BalaiConfigModule, liveEnvSchema } from '@balai/config';
import { LoggingModule, RedisModule } from '@balai/common';
import { DatabaseModule } from '@balai/database';
import { HealthModule } from './health/health.module';
import { MediaModule } from './media/media.module';

@Module({
  imports: [
    BalaiConfigModule.forApp(liveEnvSchema),
    LoggingModule.forService('live'),
    DatabaseModule.forRoot(),
    RedisModule.forService('live'),
    MediaModule,
    HealthModule,
  ],
})
export class LiveModule {}
