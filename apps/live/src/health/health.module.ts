import { Module } from '@nestjs/common';
import { DependencyHealthModule } from '@balai/common';
import { MediaModule } from '../media/media.module';
import { HealthController } from './health.controller';
import { MediasoupHealthIndicator } from './mediasoup.health';

@Module({
  imports: [DependencyHealthModule, MediaModule],
  controllers: [HealthController],
  providers: [MediasoupHealthIndicator],
})
export class HealthModule {}
