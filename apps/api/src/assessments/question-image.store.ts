import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, mongo, Types } from 'mongoose';
import type { Readable } from 'node:stream';

export const QUESTION_IMAGE_TYPES = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
} as const;
export type QuestionImageKind = keyof typeof QUESTION_IMAGE_TYPES;

/** Largest question image accepted (a phone photo scaled for the screen fits easily). */
export const QUESTION_IMAGE_MAX_BYTES = 2 * 1024 * 1024;

/** PNG, JPEG or WebP from the file's first bytes, whatever its name or declared type say. */
export function sniffImage(buffer: Buffer): QuestionImageKind | null {
  if (buffer.length >= 8 && buffer.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (buffer.length >= 3 && buffer[0] === 0xff && buffer[1] === 0xd8 && buffer[2] === 0xff) return 'jpeg';
  if (
    buffer.length >= 16 &&
    buffer.subarray(0, 4).toString('latin1') === 'RIFF' &&
    buffer.subarray(8, 12).toString('latin1') === 'WEBP' &&
    /^VP8[ LX]$/.test(buffer.subarray(12, 16).toString('latin1'))
  )
    return 'webp';
  return null;
}

export interface StoredQuestionImage {
  id: Types.ObjectId;
  courseId: Types.ObjectId;
  contentType: string;
  length: number;
}

/**
 * Question images in the GridFS bucket `question_images` (like course
 * materials), each tagged with its course so serving it can check access.
 * Files are kept when a question's image is replaced or the question deleted:
 * running and past attempts froze the link to the image they showed.
 */
@Injectable()
export class QuestionImageStore {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private bucket(): mongo.GridFSBucket {
    return new mongo.GridFSBucket(this.connection.db!, { bucketName: 'question_images' });
  }

  async put(courseId: Types.ObjectId, kind: QuestionImageKind, data: Buffer): Promise<Types.ObjectId> {
    const upload = this.bucket().openUploadStream(`question.${kind}`, {
      metadata: { contentType: QUESTION_IMAGE_TYPES[kind], courseId },
    });
    await new Promise<void>((resolve, reject) => {
      upload.once('finish', () => resolve());
      upload.once('error', reject);
      upload.end(data);
    });
    return new Types.ObjectId(upload.id.toString());
  }

  async find(id: Types.ObjectId): Promise<StoredQuestionImage | null> {
    // By _id only: FerretDB pushes that down.
    const [file] = await this.bucket().find({ _id: id }).limit(1).toArray();
    if (!file) return null;
    const meta = (file.metadata ?? {}) as { contentType?: string; courseId?: Types.ObjectId };
    if (!meta.courseId || !meta.contentType) return null;
    return {
      id,
      courseId: new Types.ObjectId(String(meta.courseId)),
      contentType: meta.contentType,
      length: file.length,
    };
  }

  open(id: Types.ObjectId): Readable {
    return this.bucket().openDownloadStream(id);
  }
}
