import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { AttendanceInterval } from '@balai/database';

export type IntervalRecord = AttendanceInterval;

/**
 * A leave that arrived before its join (the live service retries each event
 * independently) is kept as a zero-length record with this joinEventId prefix,
 * so the late join can be closed at the right time.
 */
export const ORPHAN_PREFIX = 'leave:';
const MATCHED = 'orphan-matched';

export const isOrphanLeave = (i: Pick<AttendanceInterval, 'joinEventId'>) => i.joinEventId.startsWith(ORPHAN_PREFIX);

@Injectable()
export class AttendanceRepository {
  constructor(@InjectModel(AttendanceInterval.name) private readonly model: Model<AttendanceInterval>) {}

  async open(
    interval: Pick<AttendanceInterval, 'sessionId' | 'courseId' | 'userId' | 'joinEventId' | 'joinedAt'> &
      Partial<AttendanceInterval>,
  ): Promise<IntervalRecord> {
    return (await this.model.create(interval)).toObject();
  }

  /** The earliest unmatched early-arriving leave of this user in this session at or after `at`. */
  earliestOrphanLeave(sessionId: Types.ObjectId, userId: Types.ObjectId, at: Date): Promise<IntervalRecord | null> {
    return this.model
      .findOne({
        sessionId,
        userId,
        joinEventId: { $regex: `^${ORPHAN_PREFIX}` },
        leaveReason: { $ne: MATCHED },
        leftAt: { $gte: at },
      })
      .sort({ leftAt: 1 })
      .lean<IntervalRecord>()
      .exec();
  }

  async markMatched(id: Types.ObjectId): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { leaveReason: MATCHED } }).exec();
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
      .findOneAndUpdate(
        { _id: id, leftAt: { $exists: false } },
        { $set: { leftAt, leaveEventId, leaveReason: reason } },
        { new: true },
      )
      .lean<IntervalRecord>()
      .exec();
  }

  bySession(sessionId: Types.ObjectId): Promise<IntervalRecord[]> {
    return this.model.find({ sessionId }).sort({ joinedAt: 1 }).lean<IntervalRecord[]>().exec();
  }

  byCourse(courseId: Types.ObjectId, userId?: Types.ObjectId): Promise<IntervalRecord[]> {
    return this.model
      .find(userId ? { courseId, userId } : { courseId })
      .lean<IntervalRecord[]>()
      .exec();
  }

  byCourses(courseIds: Types.ObjectId[]): Promise<IntervalRecord[]> {
    return this.model
      .find({ courseId: { $in: courseIds } })
      .lean<IntervalRecord[]>()
      .exec();
  }
}
