/**
 * Certificate PDFs in GridFS. Files are named after (course, participant), so a
 * file left behind by an attempt that died before its certificate was saved can
 * be recognised and removed once the winning attempt has saved its own.
 * `insertMany` writes the files of several certificates in two inserts (their chunks, then their
 * file documents, as the driver's upload stream does for one), in GridFS's own format, so any
 * GridFS reader (the API's download, the ZIP) reads them.
 */
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, mongo, Types } from 'mongoose';
import { CERTIFICATE_PDF_BUCKET } from '@balai/queue';

/** GridFS's default chunk size (the driver's, 255 KiB): a certificate is one chunk. */
const GRIDFS_CHUNK_BYTES = 255 * 1024;

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

  private indexes?: Promise<void>;

  /** The indexes GridFSBucket makes before its first upload (the driver checks them once per bucket). */
  private ensureIndexes(): Promise<void> {
    this.indexes ??= (async () => {
      const db = this.connection.db!;
      await db.collection(`${CERTIFICATE_PDF_BUCKET}.files`).createIndex({ filename: 1, uploadDate: 1 });
      await db.collection(`${CERTIFICATE_PDF_BUCKET}.chunks`).createIndex({ files_id: 1, n: 1 }, { unique: true });
    })();
    this.indexes.catch(() => (this.indexes = undefined));
    return this.indexes;
  }

  /** Stores several PDFs; returns their file ids in order. A failure may leave some stored (leftovers, see deleteOthers). */
  async insertMany(
    files: Array<{ filename: string; pdf: Buffer; metadata: Record<string, unknown> }>,
  ): Promise<Types.ObjectId[]> {
    await this.ensureIndexes();
    const db = this.connection.db!;
    const ids = files.map(() => new Types.ObjectId());
    const chunks = files.flatMap(({ pdf }, i) =>
      Array.from({ length: Math.max(1, Math.ceil(pdf.length / GRIDFS_CHUNK_BYTES)) }, (_, n) => ({
        _id: new Types.ObjectId(),
        files_id: ids[i]!,
        n,
        data: new mongo.Binary(pdf.subarray(n * GRIDFS_CHUNK_BYTES, (n + 1) * GRIDFS_CHUNK_BYTES)),
      })),
    );
    await db.collection(`${CERTIFICATE_PDF_BUCKET}.chunks`).insertMany(chunks, { ordered: true });
    const uploadDate = new Date();
    await db.collection(`${CERTIFICATE_PDF_BUCKET}.files`).insertMany(
      files.map(({ filename, pdf, metadata }, i) => ({
        _id: ids[i]!,
        length: pdf.length,
        chunkSize: GRIDFS_CHUNK_BYTES,
        uploadDate,
        filename,
        metadata: { contentType: 'application/pdf', ...metadata },
      })),
      { ordered: true },
    );
    return ids;
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
