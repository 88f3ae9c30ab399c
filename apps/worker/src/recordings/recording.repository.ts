/** The worker's writes of recording documents: composing state, progress, result, failure reason. */
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Recording, RecordingVariant } from '@balai/database';

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

  /** `final`: no retry left (status failed); otherwise it waits for the retry (status recorded). */
  async failed(id: string, error: string, final: boolean): Promise<void> {
    await this.recordings.updateOne(
      { _id: new Types.ObjectId(id) },
      { $set: { status: final ? 'failed' : 'recorded', error: error.slice(0, 1000) } },
    );
  }
}
