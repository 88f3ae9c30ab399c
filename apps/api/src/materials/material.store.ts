import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, mongo, Types } from 'mongoose';
import type { Readable } from 'node:stream';

/** File bytes in the GridFS bucket `materials` on the platform's MongoDB connection. */
@Injectable()
export class MaterialStorage {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private bucket(): mongo.GridFSBucket {
    return new mongo.GridFSBucket(this.connection.db!, { bucketName: 'materials' });
  }

  async put(filename: string, contentType: string, data: Buffer): Promise<Types.ObjectId> {
    const upload = this.bucket().openUploadStream(filename, { metadata: { contentType } });
    await new Promise<void>((resolve, reject) => {
      upload.once('finish', () => resolve());
      upload.once('error', reject);
      upload.end(data);
    });
    return new Types.ObjectId(upload.id.toString());
  }

  open(fileId: Types.ObjectId): Readable {
    return this.bucket().openDownloadStream(fileId);
  }

  async remove(fileId: Types.ObjectId): Promise<void> {
    await this.bucket()
      .delete(fileId)
      .catch(() => undefined);
  }
}
