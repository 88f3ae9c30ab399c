/**
 * The durable side of "each notice is sent once" (#10): one document per
 * (notice, channel, person) with a derived `_id`, written before a delivery
 * ("sending", by whom) and right after it ("sent"). Redis holds the fast
 * claim that serialises attempts; this record survives what Redis does not
 * keep (a flushed or replaced Redis, a marker write lost in an outage), so a
 * retry checks it under the claim and never resends a notice recorded sent.
 */
import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Model } from 'mongoose';

export const DELIVERY_STATES = ['sending', 'sent'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

@Schema({ collection: 'notification_deliveries', versionKey: false })
export class NotificationDelivery {
  /** `<notice key>.<channel>.<userId>`, the same string as the email's Message-ID local part. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true, enum: DELIVERY_STATES }) state!: DeliveryState;
  /** The claim (worker name + attempt id) of the attempt that wrote it. */
  @Prop({ type: String, required: true }) owner!: string;
  @Prop({ type: Date, required: true }) claimedAt!: Date;
  @Prop({ type: Date }) sentAt?: Date;
  /** How many attempts started a delivery (more than one: a sender died mid-delivery). */
  @Prop({ type: Number, default: 1 }) attempts!: number;
}
export const NotificationDeliverySchema = SchemaFactory.createForClass(NotificationDelivery);

@Injectable()
export class DeliveryRecords {
  constructor(@InjectModel(NotificationDelivery.name) private readonly records: Model<NotificationDelivery>) {}

  async get(id: string): Promise<Pick<NotificationDelivery, 'state' | 'owner' | 'attempts'> | null> {
    return this.records.findById(id, { state: 1, owner: 1, attempts: 1 }).lean();
  }

  /** Called under the Redis claim, so no other attempt writes this record meanwhile. */
  async sending(id: string, owner: string, attempts: number): Promise<void> {
    await this.records.updateOne(
      { _id: id },
      { $set: { state: 'sending', owner, claimedAt: new Date(), attempts } },
      { upsert: true },
    );
  }

  async sent(id: string, owner: string): Promise<void> {
    await this.records.updateOne(
      { _id: id },
      { $set: { state: 'sent', owner, sentAt: new Date() }, $setOnInsert: { claimedAt: new Date(), attempts: 1 } },
      { upsert: true },
    );
  }

  /** A delivery that failed leaves nothing behind (only our own "sending" record is removed). */
  async failed(id: string, owner: string): Promise<void> {
    await this.records.deleteOne({ _id: id, owner, state: 'sending' });
  }
}
