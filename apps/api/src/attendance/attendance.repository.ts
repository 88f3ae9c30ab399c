import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { AttendanceInterval } from '@balai/database';

export type IntervalRecord = AttendanceInterval;

@Injectable()
export class AttendanceRepository {
  constructor(@InjectModel(AttendanceInterval.name) private readonly model: Model<AttendanceInterval>) {}

  async open(interval: Pick<AttendanceInterval, 'sessionId' | 'courseId' | 'userId' | 'joinEventId' | 'joinedAt'>): Promise<void> {
    await this.model.create(interval);
  }

  findByLeaveEvent(leaveEventId: string): Promise<IntervalRecord | null> {
    return this.model.findOne({ leaveEventId }).lean<IntervalRecord>().exec();
  }

  /** The latest still-open interval of this user in this session that began at or before `at`. */
  latestOpen(sessionId: Types.ObjectId, userId: Types.ObjectId, at: Date): Promise<IntervalRecord | null> {
    return this.model
      .findOne({ sessionId, userId, leftAt: { $exists: false }, joinedAt: { $lte: at } })
      .sort({ joinedAt: -1 })
      .lean<IntervalRecord>()
      .exec();
  }

  close(id: Types.ObjectId, leftAt: Date, leaveEventId: string, reason?: string): Promise<IntervalRecord | null> {
    return this.model
      .findOneAndUpdate({ _id: id, leftAt: { $exists: false } }, { $set: { leftAt, leaveEventId, leaveReason: reason } }, { new: true })
      .lean<IntervalRecord>()
      .exec();
  }

  bySession(sessionId: Types.ObjectId): Promise<IntervalRecord[]> {
    return this.model.find({ sessionId }).sort({ joinedAt: 1 }).lean<IntervalRecord[]>().exec();
  }

  byCourse(courseId: Types.ObjectId, userId?: Types.ObjectId): Promise<IntervalRecord[]> {
    return this.model.find(userId ? { courseId, userId } : { courseId }).lean<IntervalRecord[]>().exec();
  }

  byCourses(courseIds: Types.ObjectId[]): Promise<IntervalRecord[]> {
    return this.model.find({ courseId: { $in: courseIds } }).lean<IntervalRecord[]>().exec();
  }
}
