import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { Readable } from 'node:stream';
import { RecordingFiles, StoredFile } from '@balai/queue';

/**
 * Composed recordings, written by the worker to GridFS (bucket `recordings`) or to
 * RECORDING_STORE_DIR; each variant says which (see libs/queue RecordingFiles).
 */
@Injectable()
export class RecordingStore {
  private readonly files: RecordingFiles;

  constructor(
    @InjectConnection() connection: Connection,
    config: ConfigService<{ RECORDING_STORE_DIR: string }, true>,
  ) {
    this.files = new RecordingFiles(() => connection.db!, config.get('RECORDING_STORE_DIR', { infer: true }));
  }

  /** Bytes [start, end] inclusive (HTTP Range semantics). */
  open(file: StoredFile, range?: { start: number; end: number }): Readable {
    return this.files.open(file, range);
  }

  remove(file: StoredFile): Promise<void> {
    return this.files.remove(file);
  }
}
