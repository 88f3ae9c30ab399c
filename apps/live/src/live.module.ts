import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BalaiConfigModule } from '@balai/config';
import { LoggingModule, RedisModule } from '@balai/common';
import { DatabaseModule } from '@balai/database';
import { AttendanceModule } from './attendance/attendance.module';
import { ChatModule } from './chat/chat.module';
import { ClusterModule } from './cluster/cluster.module';
import { liveAppEnvSchema } from './config/live-config';
import { HealthModule } from './health/health.module';
import { InteractionModule } from './interaction/interaction.module';
import { MediaSignallingModule } from './media/media-signalling.module';
import { MediaModule } from './media/media.module';
import { ModerationModule } from './moderation/moderation.module';
import { RecordingModule } from './recording/recording.module';
import { RoomsModule } from './rooms/rooms.module';
import { SignallingWiringCheck } from './signalling/wiring-check';
import { checkTurnEnv } from './turn/turn.config';
import { TurnModule } from './turn/turn.module';

@Module({
  imports: [
    BalaiConfigModule.forApp(liveAppEnvSchema.superRefine(checkTurnEnv)),
    LoggingModule.forService('live'),
    DatabaseModule.forRoot(),
    // Fail fast while Redis is away: a chat message, a rate-limit count or a join is
    // either applied now or reported failed (UNAVAILABLE), never replayed minutes later
    // from an offline queue. Commands in flight when the connection drops are failed
    // too (maxRetriesPerRequest 0), not resent on reconnect.
    RedisModule.forService('live', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
    }),
    DiscoveryModule,
    TurnModule,
    MediaModule,
    HealthModule,
    AttendanceModule,
    RoomsModule,
    MediaSignallingModule,
    ChatModule,
    ModerationModule,
    RecordingModule,
    InteractionModule,
    ClusterModule,
  ],
  providers: [SignallingWiringCheck],
})
export class LiveModule {}
