import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, Types } from 'mongoose';
import { CourseSession } from '@balai/database';
import type { SessionTimes } from '@balai/domain';

export type SessionRecord = CourseSession;

/** What the domain's schedule and attendance rules read of a session. */
export const sessionTimes = (s: SessionRecord): SessionTimes => ({
  id: String(s._id),
  title: s.title,
  startsAt: s.startsAt,
  endsAt: s.endsAt,
  status: s.status,
  liveEndedAt: s.liveEndedAt,
});

@Injectable()
export class SessionRepository {
  constructor(@InjectModel(CourseSession.name) private readonly model: Model<CourseSession>) {}

  async create(session: Partial<CourseSession>): Promise<SessionRecord> {
    return (await this.model.create(session)).toObject();
  }

  findById(id: string | Types.ObjectId): Promise<SessionRecord | null> {
    return this.model.findById(id).lean<SessionRecord>().exec();
  }

  byCourse(courseId: Types.ObjectId, includeCancelled = true): Promise<SessionRecord[]> {
    const query: FilterQuery<CourseSession> = { courseId };
    if (!includeCancelled) query.status = { $ne: 'cancelled' };
    return this.model.find(query).sort({ startsAt: 1, _id: 1 }).lean<SessionRecord[]>().exec();
  }

  byCourses(courseIds: Types.ObjectId[]): Promise<SessionRecord[]> {
    return this.model
      .find({ courseId: { $in: courseIds }, status: { $ne: 'cancelled' } })
      .lean<SessionRecord[]>()
      .exec();
  }

  /** Non-cancelled sessions of any of these trainers overlapping [startsAt, endsAt). */
  overlapping(
    trainerIds: Types.ObjectId[],
    startsAt: Date,
    endsAt: Date,
    exceptId?: Types.ObjectId,
  ): Promise<SessionRecord[]> {
    const query: FilterQuery<CourseSession> = {
      trainerIds: { $in: trainerIds },
      status: { $ne: 'cancelled' },
      startsAt: { $lt: endsAt },
      endsAt: { $gt: startsAt },
    };
    if (exceptId) query._id = { $ne: exceptId };
    return this.model.find(query).limit(5).lean<SessionRecord[]>().exec();
  }

  update(
    id: Types.ObjectId,
    set: Partial<CourseSession>,
    guard: FilterQuery<CourseSession> = {},
  ): Promise<SessionRecord | null> {
    return this.model
      .findOneAndUpdate({ _id: id, ...guard }, { $set: set }, { new: true, runValidators: true })
      .lean<SessionRecord>()
      .exec();
  }

  async deleteByCourse(courseId: Types.ObjectId): Promise<void> {
    await this.model.deleteMany({ courseId }).exec();
  }
}
