import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Recording } from '@balai/database';

export type RecordingRecord = Recording;

/** The API's reads of recordings (listing, playback) and its one write: an admin's delete. */
@Injectable()
export class RecordingRepository {
  constructor(@InjectModel(Recording.name) private readonly model: Model<Recording>) {}

  findById(id: string): Promise<RecordingRecord | null> {
    return this.model.findById(id).lean<RecordingRecord>().exec();
  }

  bySession(sessionId: string): Promise<RecordingRecord[]> {
    return this.model
      .find({ sessionId: new Types.ObjectId(sessionId) })
      .sort({ startedAt: 1, _id: 1 })
      .lean<RecordingRecord[]>()
      .exec();
  }

  /** The session's recording a live node is writing now (heartbeat since `freshSince`), if any. */
  runningOf(sessionId: string, freshSince: Date): Promise<RecordingRecord | null> {
    return this.model
      .findOne({ sessionId: new Types.ObjectId(sessionId), status: 'recording', heartbeatAt: { $gte: freshSince } })
      .sort({ startedAt: -1 })
      .lean<RecordingRecord>()
      .exec();
  }

  byCourse(courseId: Types.ObjectId): Promise<RecordingRecord[]> {
    return this.model.find({ courseId }).sort({ startedAt: 1, _id: 1 }).lean<RecordingRecord[]>().exec();
  }

  async delete(id: Types.ObjectId): Promise<void> {
    await this.model.deleteOne({ _id: id }).exec();
  }
}
