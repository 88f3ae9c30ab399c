import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BalaiConfigModule } from '@balai/config';
import { LoggingModule, RedisModule } from '@balai/common';
import { DatabaseModule } from '@balai/database';
import { AttendanceModule } from './attendance/attendance.module';
import { ChatModule } from './chat/chat.module';
import { liveAppEnvSchema } from './config/live-config';
import { HealthModule } from './health/health.module';
import { MediaSignallingModule } from './media/media-signalling.module';
import { MediaModule } from './media/media.module';
import { ModerationModule } from './moderation/moderation.module';
import { RoomsModule } from './rooms/rooms.module';
import { SignallingWiringCheck } from './signalling/wiring-check';
import { checkTurnEnv } from './turn/turn.config';
import { TurnModule } from './turn/turn.module';

@Module({
  imports: [
    BalaiConfigModule.forApp(liveAppEnvSchema.superRefine(checkTurnEnv)),
    LoggingModule.forService('live'),
    DatabaseModule.forRoot(),
    RedisModule.forService('live'),
    DiscoveryModule,
    TurnModule,
    MediaModule,
    HealthModule,
    AttendanceModule,
    RoomsModule,
    MediaSignallingModule,
    ChatModule,
    ModerationModule,
  ],
  providers: [SignallingWiringCheck],
})
export class LiveModule {}
