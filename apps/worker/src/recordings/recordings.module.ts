import { Module } from '@nestjs/common';
import { RecordingComposer } from './recording-composer';
import { RecordingProcessor } from './recording.processor';
import { RecordingRepository } from './recording.repository';
import { RecordingStore } from './recording.store';
import { RecordingSweep } from './recording-sweep';

/** Composing recorded sessions to MP4, retention and the close of dead live nodes' recordings (issue 13). */
@Module({ providers: [RecordingComposer, RecordingRepository, RecordingStore, RecordingProcessor, RecordingSweep] })
export class RecordingsModule {}
