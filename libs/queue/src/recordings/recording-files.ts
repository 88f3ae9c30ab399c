/**
 * Where composed recordings are kept: GridFS (bucket `recordings`, the
 * default) or a directory (RECORDING_STORAGE=directory, RECORDING_STORE_DIR,
 * e.g. a disk or a mounted volume with more room than the database). The
 * worker writes, the API reads (HTTP Range) and deletes, both through this one
 * class. Each stored variant says which store holds it, so recordings made
 * before a change of RECORDING_STORAGE stay playable.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mongo, Types } from 'mongoose';
import { z } from 'zod';
import { RECORDING_BUCKET } from '../queues';

export const RECORDING_STORES = ['gridfs', 'directory'] as const;
export type RecordingStoreKind = (typeof RECORDING_STORES)[number];

/** Part of the worker's and the API's environment schemas. */
export const recordingStorageEnvShape = {
  /** Where the worker puts composed MP4s: gridfs (default) or directory (RECORDING_STORE_DIR). */
  RECORDING_STORAGE: z.enum(RECORDING_STORES).default('gridfs'),
  /** The directory of composed MP4s when RECORDING_STORAGE=directory (the API reads it too). */
  RECORDING_STORE_DIR: z.string().min(1).default('/var/lib/balai/recordings'),
};

export interface StoredFile {
  store: RecordingStoreKind;
  storageKey: string;
}

export class RecordingFiles {
  constructor(
    private readonly db: () => mongo.Db,
    private readonly dir: string,
  ) {}

  private bucket(): mongo.GridFSBucket {
    return new mongo.GridFSBucket(this.db(), { bucketName: RECORDING_BUCKET });
  }

  /** A file name inside the directory only (a stored key never climbs out of it). */
  private pathOf(key: string): string {
    if (basename(key) !== key || key.startsWith('.')) throw new Error(`bad recording file key ${key}`);
    return join(this.dir, key);
  }

  async put(store: RecordingStoreKind, path: string, filename: string): Promise<StoredFile> {
    if (store === 'directory') {
      await mkdir(this.dir, { recursive: true });
      const target = this.pathOf(filename);
      const partial = `${target}.part`;
      await pipeline(createReadStream(path), createWriteStream(partial));
      // Whole files only: a reader never sees a half-written MP4.
      await rename(partial, target);
      return { store, storageKey: filename };
    }
    const upload = this.bucket().openUploadStream(filename, { metadata: { contentType: 'video/mp4' } });
    await pipeline(createReadStream(path), upload);
    return { store: 'gridfs', storageKey: upload.id.toString() };
  }

  /** Bytes [start, end] inclusive (HTTP Range semantics). */
  open(file: StoredFile, range?: { start: number; end: number }): Readable {
    if (file.store === 'directory') {
      return createReadStream(this.pathOf(file.storageKey), range ? { start: range.start, end: range.end } : {});
    }
    return this.bucket().openDownloadStream(
      new Types.ObjectId(file.storageKey),
      range ? { start: range.start, end: range.end + 1 } : undefined,
    );
  }

  async size(file: StoredFile): Promise<number | null> {
    if (file.store === 'directory')
      return stat(this.pathOf(file.storageKey)).then(
        (s) => s.size,
        () => null,
      );
    const [found] = await this.bucket()
      .find({ _id: new Types.ObjectId(file.storageKey) })
      .toArray();
    return found ? found.length : null;
  }

  /** Gone already is fine (a retried delete, a sweep after an admin's delete). */
  async remove(file: StoredFile): Promise<void> {
    if (file.store === 'directory') {
      await rm(this.pathOf(file.storageKey), { force: true });
      return;
    }
    await this.bucket()
      .delete(new Types.ObjectId(file.storageKey))
      .catch(() => undefined);
  }
}
