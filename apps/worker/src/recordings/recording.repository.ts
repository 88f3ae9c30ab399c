/** The worker's writes of recording documents: composing state, progress, result, failure reason. */
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Recording, RecordingVariant } from '@balai/database';
import type { RecordedGap } from '@balai/queue';

/** At most this many recordings per sweep step (the next sweep takes the rest). */
const SWEEP_BATCH = 100;

@Injectable()
export class RecordingRepository {
  constructor(@InjectModel(Recording.name) private readonly recordings: Model<Recording>) {}

  findById(id: string): Promise<Recording | null> {
    return this.recordings.findById(id).lean<Recording>().exec();
  }

  async composing(id: string, attempt: number): Promise<void> {
    await this.recordings.updateOne(
      { _id: new Types.ObjectId(id) },
      { $set: { status: 'composing', attempts: attempt, progress: 0 } },
    );
  }

  async progress(id: string, progress: number): Promise<void> {
    await this.recordings.updateOne({ _id: new Types.ObjectId(id), status: 'composing' }, { $set: { progress } });
  }

  async ready(id: string, result: { durationSeconds: number; variants: RecordingVariant[]; expiresAt?: Date }) {
    await this.recordings.updateOne(
      { _id: new Types.ObjectId(id) },
      { $set: { status: 'ready', progress: 100, ...result }, $unset: { error: 1 } },
    );
  }

  /** Past their retention (expiresAt), oldest first. */
  expired(now: Date): Promise<Recording[]> {
    return this.recordings
      .find({ expiresAt: { $lte: now } })
      .sort({ expiresAt: 1 })
      .limit(SWEEP_BATCH)
      .lean<Recording[]>()
      .exec();
  }

  /** Still `recording` with no heartbeat since `cutoff` (their live node died). */
  stale(cutoff: Date): Promise<Recording[]> {
    return this.recordings
      .find({
        status: 'recording',
        $or: [{ heartbeatAt: { $lt: cutoff } }, { heartbeatAt: { $exists: false }, startedAt: { $lt: cutoff } }],
      })
      .limit(SWEEP_BATCH)
      .lean<Recording[]>()
      .exec();
  }

  /** recording -> recorded (guarded: false when a live node or another sweep got there first). */
  async closeStale(id: string, stoppedAt: Date, gaps: RecordedGap[]): Promise<boolean> {
    const result = await this.recordings.updateOne(
      { _id: new Types.ObjectId(id), status: 'recording' },
      {
        $set: {
          status: 'recorded',
          stoppedAt,
          gaps: gaps.map((g) => ({ stream: g.stream, reason: g.reason, from: new Date(g.from), to: new Date(g.to) })),
        },
      },
    );
    return result.modifiedCount === 1;
  }

  /** recording -> failed with the reason (guarded like closeStale). */
  async failStale(id: string, error: string, stoppedAt: Date): Promise<boolean> {
    const result = await this.recordings.updateOne(
      { _id: new Types.ObjectId(id), status: 'recording' },
      { $set: { status: 'failed', stoppedAt, error: error.slice(0, 1000) } },
    );
    return result.modifiedCount === 1;
  }

  async delete(id: string): Promise<void> {
    await this.recordings.deleteOne({ _id: new Types.ObjectId(id) });
  }

  /** `final`: no retry left (status failed); otherwise it waits for the retry (status recorded). */
  async failed(id: string, error: string, final: boolean): Promise<void> {
    await this.recordings.updateOne(
      { _id: new Types.ObjectId(id) },
      { $set: { status: final ? 'failed' : 'recorded', error: error.slice(0, 1000) } },
    );
  }
}
