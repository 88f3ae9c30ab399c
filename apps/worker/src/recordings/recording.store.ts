import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, mongo } from 'mongoose';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { RECORDING_BUCKET } from '@balai/queue';

/** Composed MP4s into the GridFS bucket `recordings` (read by the API). */
@Injectable()
export class RecordingStore {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private bucket(): mongo.GridFSBucket {
    return new mongo.GridFSBucket(this.connection.db!, { bucketName: RECORDING_BUCKET });
  }

  async putFile(path: string, filename: string): Promise<string> {
    const upload = this.bucket().openUploadStream(filename, { metadata: { contentType: 'video/mp4' } });
    await pipeline(createReadStream(path), upload);
    return upload.id.toString();
  }
}
