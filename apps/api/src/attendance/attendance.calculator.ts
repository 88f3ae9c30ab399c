import { Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import { attendedMinutes, courseAttendancePercent, Interval, ScheduledSession, scheduledMinutes } from '@balai/domain';
import { SessionRecord, SessionRepository } from '../sessions/session.repository';
import { AttendanceRepository, IntervalRecord } from './attendance.repository';

export interface CourseAttendance {
  userId: string;
  attendedMinutes: number;
  scheduledMinutes: number;
  percent: number;
  sessionsAttended: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Turns stored intervals into minutes and percentages with the shared domain arithmetic. */
@Injectable()
export class AttendanceCalculator {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly intervals: AttendanceRepository,
  ) {}

  static scheduled(sessions: SessionRecord[]): ScheduledSession[] {
    return sessions.filter((s) => s.status !== 'cancelled').map((s) => ({ id: String(s._id), startsAt: s.startsAt, endsAt: s.endsAt }));
  }

  /** Per user, over a course's non-cancelled sessions. */
  static perUser(sessions: ScheduledSession[], intervals: IntervalRecord[], now = new Date()): Map<string, CourseAttendance> {
    const byUser = new Map<string, Map<string, Interval[]>>();
    for (const i of intervals) {
      const user = String(i.userId);
      const perSession = byUser.get(user) ?? new Map<string, Interval[]>();
      const list = perSession.get(String(i.sessionId)) ?? [];
      list.push({ start: i.joinedAt, end: i.leftAt ?? null });
      perSession.set(String(i.sessionId), list);
      byUser.set(user, perSession);
    }
    const scheduled = sessions.reduce((sum, s) => sum + scheduledMinutes(s), 0);
    const out = new Map<string, CourseAttendance>();
    for (const [userId, perSession] of byUser) {
      const minutes = sessions.map((s) => attendedMinutes(perSession.get(s.id) ?? [], s, now));
      out.set(userId, {
        userId,
        attendedMinutes: round1(minutes.reduce((a, b) => a + b, 0)),
        scheduledMinutes: round1(scheduled),
        percent: courseAttendancePercent(sessions, perSession, now),
        sessionsAttended: minutes.filter((m) => m > 0).length,
      });
    }
    return out;
  }

  async forCourse(courseId: Types.ObjectId, userId?: Types.ObjectId): Promise<{ sessions: ScheduledSession[]; byUser: Map<string, CourseAttendance> }> {
    const [sessions, intervals] = await Promise.all([this.sessions.byCourse(courseId, false), this.intervals.byCourse(courseId, userId)]);
    const scheduled = AttendanceCalculator.scheduled(sessions);
    return { sessions: scheduled, byUser: AttendanceCalculator.perUser(scheduled, intervals) };
  }
}
