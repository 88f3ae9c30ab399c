import { Module } from '@nestjs/common';
import { MediaSignallingModule } from '../media/media-signalling.module';
import { RoomStateModule } from '../rooms/room-state.module';
import { RoomsModule } from '../rooms/rooms.module';
import { SignallingModule } from '../signalling/signalling.module';
import { HandsService } from './hands.service';
import { ModerationGateway } from './moderation.gateway';
import { ModerationService } from './moderation.service';

@Module({
  imports: [RoomsModule, MediaSignallingModule, RoomStateModule, SignallingModule],
  providers: [HandsService, ModerationService, ModerationGateway],
})
export class ModerationModule {}
