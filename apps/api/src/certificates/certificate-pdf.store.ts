import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Readable } from 'node:stream';
import { Connection, mongo, Types } from 'mongoose';
import { CERTIFICATE_PDF_BUCKET } from '@balai/queue';

/** Reads certificate PDFs the worker stored in GridFS. Never writes. */
@Injectable()
export class CertificatePdfReader {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  open(fileId: Types.ObjectId): Readable {
    return new mongo.GridFSBucket(this.connection.db!, { bucketName: CERTIFICATE_PDF_BUCKET }).openDownloadStream(
      fileId,
    );
  }
}
