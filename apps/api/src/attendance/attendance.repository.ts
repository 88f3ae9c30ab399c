import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { AttendanceInterval, attendanceIntervalId } from '@balai/database';
import { isDuplicateKey } from '../common/errors';

export type IntervalRecord = AttendanceInterval;

/**
 * A leave that arrived before its join (the live service retries each event
 * independently) is kept as a zero-length record with this joinEventId prefix,
 * so the late join can be closed at the right time.
 */
export const ORPHAN_PREFIX = 'leave:';
const MATCHED = 'orphan-matched';

/** A leave kept while its join has not arrived (either kind): zero length, never a connection. */
export const isOrphanLeave = (i: Pick<AttendanceInterval, 'joinEventId' | 'joinPending'>) =>
  i.joinEventId.startsWith(ORPHAN_PREFIX) || i.joinPending === true;

export interface IntervalKeys {
  sessionId: Types.ObjectId;
  courseId: Types.ObjectId;
  userId: Types.ObjectId;
}

export type StoreOutcome = 'recorded' | 'duplicate' | 'ignored';

@Injectable()
export class AttendanceRepository {
  constructor(@InjectModel(AttendanceInterval.name) private readonly model: Model<AttendanceInterval>) {}

  async open(
    interval: Pick<AttendanceInterval, 'sessionId' | 'courseId' | 'userId' | 'joinEventId' | 'joinedAt'> &
      Partial<AttendanceInterval>,
  ): Promise<IntervalRecord> {
    return (await this.model.create(interval)).toObject();
  }

  /**
   * A join: the interval under its derived id (one insert by primary key). If
   * that id is taken, either its leave came first (a pending record: the join
   * sets its start) or this join was stored before (a duplicate; also when an
   * interval stored before ids were derived holds this join id).
   */
  async storeJoin(keys: IntervalKeys, joinEventId: string, joinedAt: Date): Promise<StoreOutcome> {
    const _id = attendanceIntervalId(joinEventId);
    try {
      await this.model.create({ _id, ...keys, joinEventId, joinedAt });
      return 'recorded';
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const completed = await this.model
      .updateOne({ _id, joinPending: true }, { $set: { joinedAt }, $unset: { joinPending: 1 } })
      .exec();
    return completed.modifiedCount === 1 ? 'recorded' : 'duplicate';
  }

  /**
   * A leave naming its join: closes the interval by its derived id; if the join
   * has not arrived, keeps a pending zero-length record under that id for it.
   * 'legacy' when the join id belongs to an interval stored before ids were
   * derived (found only by searching).
   */
  async storeLeave(
    keys: IntervalKeys,
    joinEventId: string,
    leave: { leaveEventId: string; leftAt: Date; reason?: string },
  ): Promise<StoreOutcome | 'legacy'> {
    const _id = attendanceIntervalId(joinEventId);
    const set = { leftAt: leave.leftAt, leaveEventId: leave.leaveEventId, leaveReason: leave.reason };
    // Three rounds cover a join stored between our update and our insert (then the update matches).
    for (let round = 0; round < 3; round += 1) {
      const closed = await this.model.updateOne({ _id, leftAt: { $exists: false } }, { $set: set }).exec();
      if (closed.matchedCount === 1) return 'recorded';
      try {
        await this.model.create({ _id, ...keys, joinEventId, joinedAt: leave.leftAt, ...set, joinPending: true });
        return 'recorded';
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const existing = await this.model.findById(_id, { leftAt: 1, leaveEventId: 1 }).lean<IntervalRecord>().exec();
      if (!existing) return 'legacy';
      if (existing.leftAt) return existing.leaveEventId === leave.leaveEventId ? 'duplicate' : 'ignored';
    }
    throw new Error(`attendance interval ${String(_id)} kept changing; will retry`);
  }

  /** Closes an interval stored before ids were derived, found by its join id (a search). */
  async closeLegacy(
    joinEventId: string,
    leave: { leaveEventId: string; leftAt: Date; reason?: string },
  ): Promise<StoreOutcome> {
    const closed = await this.model
      .updateOne(
        { joinEventId, leftAt: { $exists: false } },
        { $set: { leftAt: leave.leftAt, leaveEventId: leave.leaveEventId, leaveReason: leave.reason } },
      )
      .exec();
    return closed.matchedCount === 1 ? 'recorded' : 'duplicate';
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
