/**
 * Who qualifies for a course's certificate. Used by the API (to choose whom to
 * enqueue) and again by the worker right before issuing, so a participant below
 * the threshold never gets a certificate even if a job for them exists.
 * Reads only; never writes.
 */
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { AttendanceInterval, Course, CourseSession, Enrollment } from '@balai/database';
import { courseAttendancePercent, Interval, ScheduledSession } from '@balai/domain';

export interface ParticipantEligibility {
  userId: string;
  attendancePercent: number;
  eligible: boolean;
  /** Why not, when not eligible. */
  reason?: 'NOT_ENROLLED' | 'BELOW_THRESHOLD' | 'CERTIFICATES_DISABLED';
}

export interface CourseEligibility {
  courseId: string;
  minAttendancePercent: number;
  certificatesEnabled: boolean;
  /** True when every non-cancelled session has ended by `now`. */
  allSessionsEnded: boolean;
  participants: ParticipantEligibility[];
}

@Injectable()
export class CertificateEligibility {
  constructor(
    @InjectModel(Course.name) private readonly courses: Model<Course>,
    @InjectModel(CourseSession.name) private readonly sessions: Model<CourseSession>,
    @InjectModel(Enrollment.name) private readonly enrollments: Model<Enrollment>,
    @InjectModel(AttendanceInterval.name) private readonly intervals: Model<AttendanceInterval>,
  ) {}

  /** Every enrolled participant of the course, or only `userIds` when given. Null when the course does not exist. */
  async forCourse(courseId: string, userIds?: string[], now: Date = new Date()): Promise<CourseEligibility | null> {
    if (!Types.ObjectId.isValid(courseId)) return null;
    const course = await this.courses.findById(courseId, { certificate: 1 }).lean();
    if (!course) return null;
    const sessions = await this.scheduledSessions(courseId);
    const enrollmentFilter: Record<string, unknown> = { courseId: new Types.ObjectId(courseId), status: 'enrolled' };
    if (userIds) enrollmentFilter.userId = { $in: userIds.map((id) => new Types.ObjectId(id)) };
    const enrolled = await this.enrollments.find(enrollmentFilter, { userId: 1 }).lean();
    const enrolledIds = new Set(enrolled.map((e) => e.userId.toString()));
    const wanted = userIds ?? [...enrolledIds];
    const intervals = await this.intervals
      .find(
        { courseId: new Types.ObjectId(courseId), userId: { $in: wanted.map((id) => new Types.ObjectId(id)) } },
        { userId: 1, sessionId: 1, joinedAt: 1, leftAt: 1 },
      )
      .lean();
    const byUser = new Map<string, Map<string, Interval[]>>();
    for (const i of intervals) {
      const user = i.userId.toString();
      const bySession = byUser.get(user) ?? new Map<string, Interval[]>();
      byUser.set(user, bySession);
      const list = bySession.get(i.sessionId.toString()) ?? [];
      list.push({ start: i.joinedAt, end: i.leftAt ?? null });
      bySession.set(i.sessionId.toString(), list);
    }
    const rules = course.certificate ?? { enabled: true, minAttendancePercent: 80, autoIssue: false };
    const threshold = rules.minAttendancePercent ?? 80;
    const enabled = rules.enabled !== false;
    const participants = wanted.map((userId): ParticipantEligibility => {
      const percent = courseAttendancePercent(sessions, byUser.get(userId) ?? new Map(), now);
      if (!enabled) return { userId, attendancePercent: percent, eligible: false, reason: 'CERTIFICATES_DISABLED' };
      if (!enrolledIds.has(userId)) return { userId, attendancePercent: percent, eligible: false, reason: 'NOT_ENROLLED' };
      if (percent < threshold) return { userId, attendancePercent: percent, eligible: false, reason: 'BELOW_THRESHOLD' };
      return { userId, attendancePercent: percent, eligible: true };
    });
    return {
      courseId,
      minAttendancePercent: threshold,
      certificatesEnabled: enabled,
      allSessionsEnded: sessions.length > 0 && sessions.every((s) => s.endsAt.getTime() <= now.getTime()),
      participants,
    };
  }

  /** Non-cancelled sessions: cancelled ones count neither for nor against anyone. */
  private async scheduledSessions(courseId: string): Promise<ScheduledSession[]> {
    const rows = await this.sessions
      .find({ courseId: new Types.ObjectId(courseId), status: { $ne: 'cancelled' } }, { startsAt: 1, endsAt: 1 })
      .sort({ startsAt: 1 })
      .lean();
    return rows.map((s) => ({ id: s._id.toString(), startsAt: s.startsAt, endsAt: s.endsAt }));
  }
}
