/** Who to tell and what about: read-only lookups returning plain objects. */
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Certificate, Course, CourseSession, Enrollment, User } from '@balai/database';
import type { Recipient } from './channels/notification-channel';

export interface SessionFacts {
  id: string;
  courseId: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
}

/** How old the sets of invalid certificates and deactivated users may be when an email is sent. */
export const NOTICE_STATE_MS = 2_000;

interface Cached<T> {
  at: number;
  value: Promise<T>;
}

@Injectable()
export class NotificationRepository {
  private readonly invalid = new Map<string, Cached<Set<string>>>();
  private inactive?: Cached<Set<string>>;

  constructor(
    @InjectModel(User.name) private readonly users: Model<User>,
    @InjectModel(Course.name) private readonly courses: Model<Course>,
    @InjectModel(CourseSession.name) private readonly sessions: Model<CourseSession>,
    @InjectModel(Enrollment.name) private readonly enrollments: Model<Enrollment>,
    @InjectModel(Certificate.name) private readonly certificates: Model<Certificate>,
  ) {}

  async session(sessionId: string): Promise<SessionFacts | null> {
    if (!Types.ObjectId.isValid(sessionId)) return null;
    const s = await this.sessions
      .findById(sessionId, { courseId: 1, title: 1, startsAt: 1, endsAt: 1, status: 1 })
      .lean();
    return s
      ? {
          id: s._id.toString(),
          courseId: s.courseId.toString(),
          title: s.title,
          startsAt: s.startsAt,
          endsAt: s.endsAt,
          status: s.status,
        }
      : null;
  }

  async courseTitle(courseId: string): Promise<string | null> {
    if (!Types.ObjectId.isValid(courseId)) return null;
    const c = await this.courses.findById(courseId, { title: 1 }).lean();
    return c?.title ?? null;
  }

  /** Participants enrolled right now (not waitlisted, cancelled or removed). */
  async enrolled(courseId: string): Promise<Recipient[]> {
    const rows = await this.enrollments
      .find({ courseId: new Types.ObjectId(courseId), status: 'enrolled' }, { userId: 1 })
      .lean();
    return this.recipients(rows.map((r) => r.userId.toString()));
  }

  /** By primary key: FerretDB does not push `$in` on _id down (it scans users), and this runs once per certificate. */
  async recipient(userId: string): Promise<Recipient | null> {
    if (!Types.ObjectId.isValid(userId)) return null;
    const u = await this.users.findById(userId, { name: 1, email: 1, active: 1, 'ikm.whatsapp': 1 }).lean();
    if (!u || u.active === false) return null;
    return { userId: u._id.toString(), name: u.name, email: u.email, whatsapp: u.ikm?.whatsapp };
  }

  async recipients(userIds: string[]): Promise<Recipient[]> {
    const ids = userIds.filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id));
    if (!ids.length) return [];
    const users = await this.users
      .find({ _id: { $in: ids }, active: { $ne: false } }, { name: 1, email: 1, 'ikm.whatsapp': 1 })
      .lean();
    return users.map((u) => ({ userId: u._id.toString(), name: u.name, email: u.email, whatsapp: u.ikm?.whatsapp }));
  }

  async certificate(
    certificateId: string,
  ): Promise<Pick<
    Certificate,
    '_id' | 'userId' | 'number' | 'courseTitle' | 'verificationCode' | 'status' | 'notifiedAt'
  > | null> {
    if (!Types.ObjectId.isValid(certificateId)) return null;
    return this.certificates
      .findById(certificateId, { userId: 1, number: 1, courseTitle: 1, verificationCode: 1, status: 1, notifiedAt: 1 })
      .lean();
  }

  /**
   * The course's certificates that are not valid (revoked), read at most every NOTICE_STATE_MS: one
   * query by course for a whole batch's emails instead of one certificate read per email.
   */
  invalidCertificateIds(courseId: string): Promise<Set<string>> {
    const now = Date.now();
    for (const [key, entry] of this.invalid) if (now - entry.at > 60_000) this.invalid.delete(key);
    const hit = this.invalid.get(courseId);
    if (hit && now - hit.at < NOTICE_STATE_MS) return hit.value;
    const value = this.certificates.collection
      .find<{ _id: Types.ObjectId }>(
        { courseId: new Types.ObjectId(courseId), status: { $ne: 'valid' } },
        { projection: { _id: 1 } },
      )
      .toArray()
      .then((rows) => new Set(rows.map((r) => r._id.toString())));
    const entry = { at: now, value };
    this.invalid.set(courseId, entry);
    value.catch(() => {
      if (this.invalid.get(courseId) === entry) this.invalid.delete(courseId);
    });
    return value;
  }

  /** Users who may not be emailed (deactivated), read at most every NOTICE_STATE_MS. */
  inactiveUserIds(): Promise<Set<string>> {
    const now = Date.now();
    if (this.inactive && now - this.inactive.at < NOTICE_STATE_MS) return this.inactive.value;
    const value = this.users.collection
      .find<{ _id: Types.ObjectId }>({ active: false }, { projection: { _id: 1 } })
      .toArray()
      .then((rows) => new Set(rows.map((r) => r._id.toString())));
    const entry = { at: now, value };
    this.inactive = entry;
    value.catch(() => {
      if (this.inactive === entry) this.inactive = undefined;
    });
    return value;
  }

  async markCertificateNotified(certificateId: Types.ObjectId): Promise<void> {
    await this.certificates.updateOne(
      { _id: certificateId, notifiedAt: { $exists: false } },
      { $set: { notifiedAt: new Date() } },
    );
  }
}
