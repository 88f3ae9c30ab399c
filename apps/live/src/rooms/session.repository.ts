/**
 * The live service's reads of the API's collections (sessions, courses,
 * enrolments, users) and its only writes to them: the session status. Every
 * status write is conditioned on the current status, so a late "live" can
 * never turn an ended or cancelled session back on, and ending twice is a no-op.
 * Every read on a join is by primary key (FerretDB answers `_id` from its
 * index and scans for any other filter): the enrolment by its derived id
 * (`enrollmentId`), so a join storm costs one indexed lookup per person.
 * Returns plain objects; no mongoose document leaves this file.
 */
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Course, CourseSession, Enrollment, enrollmentId, User } from '@balai/database';

export interface SessionAndCourse {
  session: Pick<CourseSession, '_id' | 'courseId' | 'startsAt' | 'endsAt' | 'trainerIds' | 'status'>;
  course: Pick<Course, '_id' | 'trainerIds' | 'status'>;
}

@Injectable()
export class SessionRepository {
  constructor(
    @InjectModel(CourseSession.name) private readonly sessions: Model<CourseSession>,
    @InjectModel(Course.name) private readonly courses: Model<Course>,
    @InjectModel(Enrollment.name) private readonly enrollments: Model<Enrollment>,
    @InjectModel(User.name) private readonly users: Model<User>,
  ) {}

  async sessionAndCourse(sessionId: string): Promise<SessionAndCourse | null> {
    const session = await this.sessions
      .findById(sessionId, { courseId: 1, startsAt: 1, endsAt: 1, trainerIds: 1, status: 1 })
      .lean();
    if (!session) return null;
    const course = await this.courses.findById(session.courseId, { trainerIds: 1, status: 1 }).lean();
    return course ? { session, course } : null;
  }

  /**
   * By the derived `_id` the API writes every enrolment with. Only when there
   * is no such document (never enrolled, or an enrolment stored before ids
   * were derived) does it fall back to the `{courseId, userId}` query, which
   * FerretDB answers with a scan; the unique index makes the two agree.
   */
  async isEnrolled(courseId: Types.ObjectId, userId: string): Promise<boolean> {
    if (!Types.ObjectId.isValid(userId)) return false;
    const byId = await this.enrollments.findById(enrollmentId(courseId, userId), { status: 1 }).lean();
    if (byId) return byId.status === 'enrolled';
    return !!(await this.enrollments.exists({ courseId, userId: new Types.ObjectId(userId), status: 'enrolled' }));
  }

  /** Everyone enrolled in a course (one read for the admission cache). */
  async enrolledUserIds(courseId: string): Promise<ReadonlySet<string>> {
    const rows = await this.enrollments
      .find({ courseId: new Types.ObjectId(courseId), status: 'enrolled' }, { userId: 1, _id: 0 })
      .lean<Array<Pick<Enrollment, 'userId'>>>();
    return new Set(rows.map((r) => String(r.userId)));
  }

  /** Every blocked (deactivated) account (one read for the admission cache). */
  async blockedUserIds(): Promise<ReadonlySet<string>> {
    const rows = await this.users.find({ active: false }, { _id: 1 }).lean<Array<Pick<User, '_id'>>>();
    return new Set(rows.map((r) => String(r._id)));
  }

  /** false when the account was blocked (deactivated by an admin) or no longer exists. */
  async isActiveUser(userId: string): Promise<boolean> {
    if (!Types.ObjectId.isValid(userId)) return false;
    const user = await this.users.findById(userId, { active: 1 }).lean();
    return !!user && user.active !== false;
  }

  /** scheduled -> live, once (the first host entering). false when it was not scheduled. */
  async markLive(sessionId: string, at: Date): Promise<boolean> {
    const result = await this.sessions.updateOne(
      { _id: sessionId, status: 'scheduled', liveStartedAt: { $exists: false } },
      { $set: { liveStartedAt: at, status: 'live' } },
    );
    return result.modifiedCount === 1;
  }

  /** scheduled|live -> ended. false when it had already ended or was cancelled. */
  async markEnded(sessionId: string, at: Date): Promise<boolean> {
    const result = await this.sessions.updateOne(
      { _id: sessionId, status: { $in: ['scheduled', 'live'] } },
      { $set: { status: 'ended', liveEndedAt: at } },
    );
    return result.modifiedCount === 1;
  }
}
