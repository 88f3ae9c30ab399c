/**
 * Certificate PDFs in GridFS. Files are named after (course, participant), so a
 * file left behind by an attempt that died before its certificate was saved can
 * be recognised and removed once the winning attempt has saved its own.
 */
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, mongo, Types } from 'mongoose';
import { CERTIFICATE_PDF_BUCKET } from '@balai/queue';

@Injectable()
export class CertificatePdfStore {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private cached?: mongo.GridFSBucket;

  /** One bucket per process: GridFSBucket checks its indexes once per instance, not per upload. */
  private bucket(): mongo.GridFSBucket {
    this.cached ??= new mongo.GridFSBucket(this.connection.db!, { bucketName: CERTIFICATE_PDF_BUCKET });
    return this.cached;
  }

  static filename(courseId: string, userId: string): string {
    return `certificate-${courseId}-${userId}.pdf`;
  }

  async upload(filename: string, pdf: Buffer, metadata: Record<string, unknown>): Promise<Types.ObjectId> {
    const upload = this.bucket().openUploadStream(filename, {
      metadata: { contentType: 'application/pdf', ...metadata },
    });
    await new Promise<void>((resolve, reject) => {
      upload.once('finish', () => resolve());
      upload.once('error', reject);
      upload.end(pdf);
    });
    return upload.id as Types.ObjectId;
  }

  async delete(fileId: Types.ObjectId): Promise<void> {
    try {
      await this.bucket().delete(fileId);
    } catch (error) {
      if (!(error instanceof mongo.MongoRuntimeError) || !/File not found/i.test(error.message)) throw error;
    }
  }

  /** Remove every file of that name except `keep` (leftovers of crashed attempts). */
  async deleteOthers(filename: string, keep: Types.ObjectId): Promise<number> {
    const files = await this.bucket()
      .find({ filename, _id: { $ne: keep } }, { projection: { _id: 1 } })
      .toArray();
    for (const file of files) await this.delete(file._id as Types.ObjectId);
    return files.length;
  }
}
