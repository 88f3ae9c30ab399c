/**
 * The durable side of "each notice is sent once" (#10): one document per
 * (notice, channel, person) with a derived `_id`, INSERTED at the point of no
 * return of a delivery (right before the end of DATA, under the Redis claim).
 * The insert is the test-and-set: its unique `_id` refuses a second attempt
 * whatever Redis still knows (a flushed or replaced Redis), so nothing is read
 * before a delivery. That matters on FerretDB over PostgreSQL, where every read
 * or filtered update scans the collection (this one grows with every notice
 * ever sent) while an insert only probes the unique index.
 * Records written by earlier versions may say "sending" (an attempt that died
 * before its commit): such a record is taken over, not counted as sent.
 */
import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '@balai/common';

export const DELIVERY_STATES = ['sending', 'sent'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

@Schema({ collection: 'notification_deliveries', versionKey: false })
export class NotificationDelivery {
  /** `<notice key>.<channel>.<userId>`, the same string as the email's Message-ID local part. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true, enum: DELIVERY_STATES }) state!: DeliveryState;
  /** The committed claim (`committed:<worker>:<attempt>`) of the attempt that wrote it. */
  @Prop({ type: String, required: true }) owner!: string;
  @Prop({ type: Date, required: true }) claimedAt!: Date;
  @Prop({ type: Date }) sentAt?: Date;
  /** More than one only when an older version's attempt had died mid-delivery ("sending") and was taken over. */
  @Prop({ type: Number, default: 1 }) attempts!: number;
}
export const NotificationDeliverySchema = SchemaFactory.createForClass(NotificationDelivery);

@Injectable()
export class DeliveryRecords {
  constructor(@InjectModel(NotificationDelivery.name) private readonly records: Model<NotificationDelivery>) {}

  /**
   * The commit of one delivery: true when this attempt now holds the record, false when an earlier
   * attempt had committed it (then this one must not send). One insert in the usual case.
   * `previous`: the committed claim value of the attempt whose "sending" claim this one took over;
   * a record of that attempt means it died between this write and its Redis commit, before the end
   * of DATA, and is taken over. So is a "sending" record of an older version.
   */
  async commit(id: string, owner: string, previous?: string): Promise<boolean> {
    const now = new Date();
    try {
      await this.records.collection.insertOne({
        _id: id as never,
        state: 'sent',
        owner,
        claimedAt: now,
        sentAt: now,
        attempts: 1,
      });
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    // Rare: a record exists (a retry after a crash or a lost Redis marker).
    const takeOver = [{ state: 'sending' }, ...(previous ? [{ owner: previous }] : [])];
    const taken = await this.records.updateOne(
      { _id: id, $or: takeOver },
      { $set: { state: 'sent', owner, sentAt: now }, $inc: { attempts: 1 } },
    );
    return taken.modifiedCount === 1;
  }

  /** Recorded as sent after the fact (an attempt of a worker that is gone had committed it). */
  async sent(id: string, owner: string): Promise<void> {
    await this.records.updateOne(
      { _id: id },
      { $set: { state: 'sent', owner, sentAt: new Date() }, $setOnInsert: { claimedAt: new Date(), attempts: 1 } },
      { upsert: true },
    );
  }

  /** The server refused the message after its commit: the attempt's record goes (only its own). */
  async failed(id: string, owner: string): Promise<void> {
    await this.records.deleteOne({ _id: id, owner });
  }
}
