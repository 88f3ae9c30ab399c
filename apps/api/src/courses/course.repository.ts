import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, Types, UpdateQuery } from 'mongoose';
import { Course } from '@balai/database';
import type { CourseStatus, CourseType } from '@balai/domain';
import { escapeRegex } from '../users/user.repository';

export type CourseRecord = Course;

export interface CourseFilter {
  statuses?: CourseStatus[];
  type?: CourseType;
  from?: Date;
  to?: Date;
  q?: string;
  category?: string;
  /** Scope to courses this trainer teaches. */
  trainerId?: string;
  ids?: Types.ObjectId[];
}

/** Courses collection. Seat and sequence counters change only through the conditional updates below. */
@Injectable()
export class CourseRepository {
  constructor(@InjectModel(Course.name) private readonly model: Model<Course>) {}

  async create(course: Partial<Course>): Promise<CourseRecord> {
    return (await this.model.create(course)).toObject();
  }

  findById(id: string | Types.ObjectId): Promise<CourseRecord | null> {
    return this.model.findById(id).lean<CourseRecord>().exec();
  }

  private toQuery(filter: CourseFilter): FilterQuery<Course> {
    const query: FilterQuery<Course> = {};
    if (filter.statuses) query.status = { $in: filter.statuses };
    if (filter.type) query.type = filter.type;
    if (filter.category) query.category = filter.category;
    if (filter.trainerId) query.trainerIds = new Types.ObjectId(filter.trainerId);
    if (filter.ids) query._id = { $in: filter.ids };
    // Overlap of [startsAt, endsAt] with [from, to].
    if (filter.from) query.endsAt = { $gte: filter.from };
    if (filter.to) query.startsAt = { $lte: filter.to };
    if (filter.q) query.title = { $regex: escapeRegex(filter.q), $options: 'i' };
    return query;
  }

  async page(filter: CourseFilter, skip: number, limit: number): Promise<{ items: CourseRecord[]; total: number }> {
    const query = this.toQuery(filter);
    const [items, total] = await Promise.all([
      this.model.find(query).sort({ createdAt: -1, _id: -1 }).skip(skip).limit(limit).lean<CourseRecord[]>().exec(),
      this.model.countDocuments(query).exec(),
    ]);
    return { items, total };
  }

  findMany(filter: CourseFilter): Promise<CourseRecord[]> {
    return this.model.find(this.toQuery(filter)).sort({ createdAt: -1, _id: -1 }).lean<CourseRecord[]>().exec();
  }

  update(id: string, update: UpdateQuery<Course>, guard: FilterQuery<Course> = {}): Promise<CourseRecord | null> {
    return this.model
      .findOneAndUpdate({ _id: id, ...guard }, update, { new: true, runValidators: true })
      .lean<CourseRecord>()
      .exec();
  }

  async deleteDraft(id: string): Promise<boolean> {
    const res = await this.model.deleteOne({ _id: id, status: 'draft', seatsTaken: 0 }).exec();
    return res.deletedCount === 1;
  }

  /** Mirrors the Redis seat counters (SeatCounter) onto the document, for display and reports. */
  async syncCounters(id: Types.ObjectId, seatsTaken: number, seq?: number): Promise<void> {
    const update: UpdateQuery<Course> = { $set: { seatsTaken } };
    if (seq !== undefined) update.$max = { enrollmentSeq: seq };
    await this.model.updateOne({ _id: id }, update).exec();
  }

  async setSchedule(id: Types.ObjectId, startsAt: Date | null, endsAt: Date | null): Promise<void> {
    await this.model
      .updateOne(
        { _id: id },
        startsAt && endsAt ? { $set: { startsAt, endsAt } } : { $unset: { startsAt: 1, endsAt: 1 } },
      )
      .exec();
  }
}
