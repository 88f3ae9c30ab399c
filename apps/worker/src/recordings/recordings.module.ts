import { Module } from '@nestjs/common';
import { RecordingComposer } from './recording-composer';
import { RecordingProcessor } from './recording.processor';
import { RecordingRepository } from './recording.repository';
import { RecordingStore } from './recording.store';

/** Composing recorded sessions to MP4 (issue 13). */
@Module({ providers: [RecordingComposer, RecordingRepository, RecordingStore, RecordingProcessor] })
export class RecordingsModule {}
