import { Module } from '@nestjs/common';
import { QueueModule } from '@balai/queue';
import { MediaModule } from '../media/media.module';
import { RoomStateModule } from '../rooms/room-state.module';
import { SignallingModule } from '../signalling/signalling.module';
import { RecordingGateway } from './recording.gateway';
import { RecordingRepository } from './recording.repository';
import { RecordingService } from './recording.service';

/** Recording of live sessions to raw per-stream files (composed to MP4 later by the worker). */
@Module({
  imports: [QueueModule.forRoot(), MediaModule, RoomStateModule, SignallingModule],
  providers: [RecordingRepository, RecordingService, RecordingGateway],
  exports: [RecordingService],
})
export class RecordingModule {}
