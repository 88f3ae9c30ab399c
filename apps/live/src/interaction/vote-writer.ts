/**
 * Group commit of votes and upvotes: every write waits for its own outcome
 * (an ack is only sent once the vote is stored), but writes that arrive while
 * one batch is being stored go together in the next `bulkWrite`. A sosialisasi
 * votes in bursts (hundreds within two seconds); one request per vote would
 * queue behind each other at the database, one batch per round trip does not.
 * Unordered: one refused write (a second vote under the same derived id) does
 * not stop the others.
 */
import { Logger } from '@nestjs/common';
import type { AnyBulkWriteOperation, Model } from 'mongoose';

import { isDuplicateKeyError } from '@balai/common';

interface Pending<T extends object> {
  op: AnyBulkWriteOperation<T>;
  resolve(stored: boolean): void;
  reject(error: unknown): void;
}

/** At most this many writes in one batch. */
const MAX_BATCH = 500;

interface BulkWriteErrorLike {
  writeErrors?: Array<{ index: number; code?: number; err?: { index: number; code?: number } }>;
}

export class BatchedWriter<T extends object> {
  private readonly logger = new Logger(BatchedWriter.name);
  private queue: Array<Pending<T>> = [];
  private running = false;

  constructor(private readonly model: Model<T>) {}

  /** Resolves true once stored; false when the primary key refused it (an insert of an existing id). */
  write(op: AnyBulkWriteOperation<T>): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        await this.flush(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async flush(batch: Array<Pending<T>>): Promise<void> {
    try {
      await this.model.bulkWrite(batch.map((p) => p.op) as Parameters<Model<T>['bulkWrite']>[0], { ordered: false });
      for (const p of batch) p.resolve(true);
    } catch (error) {
      const writeErrors = (error as BulkWriteErrorLike).writeErrors;
      if (!writeErrors?.length) {
        for (const p of batch) p.reject(error);
        return;
      }
      const failed = new Map<number, unknown>();
      for (const e of writeErrors) {
        const index = e.index ?? e.err?.index;
        failed.set(index, e);
      }
      batch.forEach((p, i) => {
        const e = failed.get(i);
        if (e === undefined) p.resolve(true);
        else if (isDuplicateKeyError(e) || isDuplicateKeyError((e as { err?: unknown }).err)) p.resolve(false);
        else {
          this.logger.warn({ err: e }, 'a batched vote write failed');
          p.reject(new Error('the vote could not be stored'));
        }
      });
    }
  }
}
