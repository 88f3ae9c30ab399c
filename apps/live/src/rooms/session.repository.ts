/**
 * The live service's reads of the API's collections (sessions, courses,
 * enrolments) and its only writes to them: the session status. Every status
 * write is conditioned on the current status, so a late "live" can never turn
 * an ended or cancelled session back on, and ending twice is a no-op.
 * Returns plain objects; no mongoose document leaves this file.
 */
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Course, CourseSession, Enrollment } from '@balai/database';

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
  ) {}

  async sessionAndCourse(sessionId: string): Promise<SessionAndCourse | null> {
    const session = await this.sessions
      .findById(sessionId, { courseId: 1, startsAt: 1, endsAt: 1, trainerIds: 1, status: 1 })
      .lean();
    if (!session) return null;
    const course = await this.courses.findById(session.courseId, { trainerIds: 1, status: 1 }).lean();
    return course ? { session, course } : null;
  }

  async isEnrolled(courseId: Types.ObjectId, userId: string): Promise<boolean> {
    if (!Types.ObjectId.isValid(userId)) return false;
    return !!(await this.enrollments.exists({ courseId, userId: new Types.ObjectId(userId), status: 'enrolled' }));
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
