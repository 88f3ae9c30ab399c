/**
 * The live service's reads and writes of recording documents (start, heartbeat,
 * stop with gaps) and its one read of a course for recording: its autoRecord
 * setting. Plain objects only.
 */
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Course, Recording } from '@balai/database';
import type { RecordedGap } from '@balai/queue';

@Injectable()
export class RecordingRepository {
  constructor(
    @InjectModel(Recording.name) private readonly recordings: Model<Recording>,
    @InjectModel(Course.name) private readonly courses: Model<Course>,
  ) {}

  async create(input: {
    sessionId: string;
    courseId: string;
    startedBy: string;
    startedAt: Date;
    auto: boolean;
  }): Promise<string> {
    const _id = new Types.ObjectId();
    await this.recordings.create({
      _id,
      sessionId: new Types.ObjectId(input.sessionId),
      courseId: new Types.ObjectId(input.courseId),
      startedBy: new Types.ObjectId(input.startedBy),
      status: 'recording',
      startedAt: input.startedAt,
      auto: input.auto,
      heartbeatAt: input.startedAt,
    });
    return String(_id);
  }

  /** One write per running recording (by _id: a `$in` on _id is a scan on FerretDB). */
  async heartbeat(recordingIds: string[], at: Date): Promise<void> {
    await Promise.all(
      recordingIds.map((id) =>
        this.recordings.updateOne({ _id: new Types.ObjectId(id), status: 'recording' }, { $set: { heartbeatAt: at } }),
      ),
    );
  }

  /** A recording created by a start that lost the race to another one (nothing was recorded). */
  async discard(recordingId: string): Promise<void> {
    await this.recordings.deleteOne({ _id: new Types.ObjectId(recordingId), status: 'recording' });
  }

  async courseAutoRecords(courseId: string): Promise<boolean> {
    const course = await this.courses.findById(courseId, { autoRecord: 1 }).lean();
    return course?.autoRecord === true;
  }

  async stopped(recordingId: string, stoppedAt: Date, gaps: RecordedGap[]): Promise<void> {
    await this.recordings.updateOne(
      { _id: new Types.ObjectId(recordingId), status: 'recording' },
      {
        $set: {
          status: 'recorded',
          stoppedAt,
          heartbeatAt: stoppedAt,
          gaps: gaps.map((g) => ({ stream: g.stream, reason: g.reason, from: new Date(g.from), to: new Date(g.to) })),
        },
      },
    );
  }
}
