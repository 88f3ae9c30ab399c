import { Module } from '@nestjs/common';
import { DependencyHealthModule } from '@balai/common';
import { HealthController } from './health.controller';

@Module({ imports: [DependencyHealthModule], controllers: [HealthController] })
export class HealthModule {}
