import { Module } from '@nestjs/common';
import { LiveConfigController } from './live-config.controller';

@Module({ controllers: [LiveConfigController] })
export class LiveConfigModule {}
