import { Module } from '@nestjs/common';
import { RecordingRepository } from './recording.repository';
import { RecordingStore } from './recording.store';
import { RecordingsController } from './recordings.controller';
import { RecordingsService } from './recordings.service';

/** Listing, streaming (HTTP Range), downloading and deleting session recordings (issue 13). */
@Module({
  controllers: [RecordingsController],
  providers: [RecordingRepository, RecordingStore, RecordingsService],
})
export class RecordingsModule {}
