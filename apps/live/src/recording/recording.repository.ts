/** The live service's writes of recording documents (start, stop with gaps). Plain objects only. */
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Recording } from '@balai/database';
import type { RecordedGap } from '@balai/queue';

@Injectable()
export class RecordingRepository {
  constructor(@InjectModel(Recording.name) private readonly recordings: Model<Recording>) {}

  async create(input: { sessionId: string; courseId: string; startedBy: string; startedAt: Date }): Promise<string> {
    const _id = new Types.ObjectId();
    await this.recordings.create({
      _id,
      sessionId: new Types.ObjectId(input.sessionId),
      courseId: new Types.ObjectId(input.courseId),
      startedBy: new Types.ObjectId(input.startedBy),
      status: 'recording',
      startedAt: input.startedAt,
    });
    return String(_id);
  }

  async stopped(recordingId: string, stoppedAt: Date, gaps: RecordedGap[]): Promise<void> {
    await this.recordings.updateOne(
      { _id: new Types.ObjectId(recordingId), status: 'recording' },
      {
        $set: {
          status: 'recorded',
          stoppedAt,
          gaps: gaps.map((g) => ({ stream: g.stream, reason: g.reason, from: new Date(g.from), to: new Date(g.to) })),
        },
      },
    );
  }
}
