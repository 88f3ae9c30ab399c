import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, mongo, Types } from 'mongoose';
import type { Readable } from 'node:stream';
import { RECORDING_BUCKET } from '@balai/queue';

/** Composed recordings in the GridFS bucket `recordings` (written by the worker). */
@Injectable()
export class RecordingStore {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private bucket(): mongo.GridFSBucket {
    return new mongo.GridFSBucket(this.connection.db!, { bucketName: RECORDING_BUCKET });
  }

  /** Bytes [start, end] inclusive (HTTP Range semantics). */
  open(fileId: string, range?: { start: number; end: number }): Readable {
    return this.bucket().openDownloadStream(
      new Types.ObjectId(fileId),
      range ? { start: range.start, end: range.end + 1 } : undefined,
    );
  }

  async remove(fileId: string): Promise<void> {
    await this.bucket()
      .delete(new Types.ObjectId(fileId))
      .catch(() => undefined);
  }
}
