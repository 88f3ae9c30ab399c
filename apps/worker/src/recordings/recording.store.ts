import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { RecordingFiles, StoredFile } from '@balai/queue';
import type { RecordingWorkerEnv } from './recording.config';

/** Composed MP4s into the configured store (GridFS or RECORDING_STORE_DIR; read by the API). */
@Injectable()
export class RecordingStore {
  private readonly files: RecordingFiles;

  constructor(
    @InjectConnection() connection: Connection,
    private readonly config: ConfigService<RecordingWorkerEnv, true>,
  ) {
    this.files = new RecordingFiles(() => connection.db!, config.get('RECORDING_STORE_DIR', { infer: true }));
  }

  putFile(path: string, filename: string): Promise<StoredFile> {
    return this.files.put(this.config.get('RECORDING_STORAGE', { infer: true }), path, filename);
  }

  remove(file: StoredFile): Promise<void> {
    return this.files.remove(file);
  }
}
