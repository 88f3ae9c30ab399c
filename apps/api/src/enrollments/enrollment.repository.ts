import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Enrollment, enrollmentId } from '@balai/database';
import type { EnrollmentStatus } from '@balai/domain';
import { AdmissionNotifier } from '../common/admission-notifier';

export type EnrollmentRecord = Enrollment;

const toId = (id: string | Types.ObjectId) => (typeof id === 'string' ? new Types.ObjectId(id) : id);

/**
 * Enrolments, always scoped by course and/or user. The `_id` is derived from
 * (course, user) (`enrollmentId`), so the hot lookups are by primary key; the
 * unique (courseId, userId) index stays the guarantee, and documents written
 * before ids were derived are still found by the fallback query.
 */
@Injectable()
export class EnrollmentRepository {
  constructor(
    @InjectModel(Enrollment.name) private readonly model: Model<Enrollment>,
    private readonly admission: AdmissionNotifier,
  ) {}

  async findOne(courseId: Types.ObjectId | string, userId: Types.ObjectId | string): Promise<EnrollmentRecord | null> {
    const byId = await this.model.findById(enrollmentId(courseId, userId)).lean<EnrollmentRecord>().exec();
    return (
      byId ??
      this.model
        .findOne({ courseId: toId(courseId), userId: toId(userId) })
        .lean<EnrollmentRecord>()
        .exec()
    );
  }

  async insert(
    courseId: Types.ObjectId,
    userId: Types.ObjectId,
    status: EnrollmentStatus,
    seq: number,
  ): Promise<EnrollmentRecord> {
    const record = (
      await this.model.create({ _id: enrollmentId(courseId, userId), courseId, userId, status, seq })
    ).toObject();
    await this.admission.enrolmentsChanged(courseId);
    return record;
  }

  /** Re-activates a cancelled/removed enrolment with a new place in line; null if it was active meanwhile. */
  async reactivate(
    id: Types.ObjectId,
    from: EnrollmentStatus,
    status: EnrollmentStatus,
    seq: number,
  ): Promise<EnrollmentRecord | null> {
    const record = await this.model
      .findOneAndUpdate(
        { _id: id, status: from },
        { $set: { status, seq }, $unset: { cancelledAt: 1, promotedAt: 1 } },
        { new: true },
      )
      .lean<EnrollmentRecord>()
      .exec();
    if (record) await this.admission.enrolmentsChanged(record.courseId);
    return record;
  }

  /** Conditional status change: wins once under concurrency. */
  async transition(
    id: Types.ObjectId,
    from: EnrollmentStatus,
    to: EnrollmentStatus,
    set: Partial<Enrollment> = {},
  ): Promise<EnrollmentRecord | null> {
    const record = await this.model
      .findOneAndUpdate({ _id: id, status: from }, { $set: { status: to, ...set } }, { new: true })
      .lean<EnrollmentRecord>()
      .exec();
    if (record) await this.admission.enrolmentsChanged(record.courseId);
    return record;
  }

  firstWaitlisted(courseId: Types.ObjectId, skip = 0): Promise<EnrollmentRecord | null> {
    return this.model
      .findOne({ courseId, status: 'waitlisted' })
      .sort({ seq: 1 })
      .skip(skip)
      .lean<EnrollmentRecord>()
      .exec();
  }

  byCourse(courseId: Types.ObjectId, statuses: EnrollmentStatus[]): Promise<EnrollmentRecord[]> {
    return this.model
      .find({ courseId, status: { $in: statuses } })
      .sort({ seq: 1 })
      .lean<EnrollmentRecord[]>()
      .exec();
  }

  byUser(userId: string, statuses: EnrollmentStatus[]): Promise<EnrollmentRecord[]> {
    return this.model
      .find({ userId: toId(userId), status: { $in: statuses } })
      .sort({ createdAt: -1, _id: -1 })
      .lean<EnrollmentRecord[]>()
      .exec();
  }

  byCourses(courseIds: Types.ObjectId[], statuses: EnrollmentStatus[]): Promise<EnrollmentRecord[]> {
    return this.model
      .find({ courseId: { $in: courseIds }, status: { $in: statuses } })
      .lean<EnrollmentRecord[]>()
      .exec();
  }

  /** 1-based place on the waitlist (by seq, the promotion order). */
  async waitlistPosition(e: Pick<EnrollmentRecord, 'courseId' | 'seq'>): Promise<number> {
    return (
      (await this.model.countDocuments({ courseId: e.courseId, status: 'waitlisted', seq: { $lt: e.seq } }).exec()) + 1
    );
  }

  countByStatus(courseId: Types.ObjectId, status: EnrollmentStatus): Promise<number> {
    return this.model.countDocuments({ courseId, status }).exec();
  }

  async highestSeq(courseId: Types.ObjectId): Promise<number> {
    const top = await this.model
      .findOne({ courseId }, { seq: 1 })
      .sort({ seq: -1 })
      .lean<Pick<Enrollment, 'seq'>>()
      .exec();
    return top?.seq ?? 0;
  }

  async deleteByCourse(courseId: Types.ObjectId): Promise<void> {
    await this.model.deleteMany({ courseId }).exec();
    await this.admission.enrolmentsChanged(courseId);
  }
}
