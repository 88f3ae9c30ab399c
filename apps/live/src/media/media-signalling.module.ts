import { Module } from '@nestjs/common';
import { RoomStateModule } from '../rooms/room-state.module';
import { SignallingModule } from '../signalling/signalling.module';
import { MediaGateway } from './media.gateway';
import { MediaModule } from './media.module';
import { MediaService } from './media.service';

@Module({
  imports: [MediaModule, RoomStateModule, SignallingModule],
  providers: [MediaService, MediaGateway],
  exports: [MediaService],
})
export class MediaSignallingModule {}
