import { Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import {
  AttendanceSummary,
  CountOptions,
  countedSessions,
  groupIntervals,
  ScheduledSession,
  summarizeAttendance,
} from '@balai/domain';
import { SessionRecord, SessionRepository, sessionTimes } from '../sessions/session.repository';
import { AttendanceRepository, IntervalRecord } from './attendance.repository';

export interface CourseAttendance extends AttendanceSummary {
  userId: string;
}

/** Turns stored sessions and intervals into minutes and percentages with the shared domain rules. */
@Injectable()
export class AttendanceCalculator {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly intervals: AttendanceRepository,
  ) {}

  /** Non-cancelled sessions, each over the time it was actually held. */
  static counted(sessions: SessionRecord[]): ScheduledSession[] {
    return countedSessions(sessions.map(sessionTimes));
  }

  /** Per user, over a course's counted sessions. */
  static perUser(
    sessions: ScheduledSession[],
    intervals: IntervalRecord[],
    options: CountOptions = {},
  ): Map<string, CourseAttendance> {
    const out = new Map<string, CourseAttendance>();
    for (const [userId, bySession] of groupIntervals(intervals))
      out.set(userId, { userId, ...summarizeAttendance(sessions, bySession, options) });
    return out;
  }

  async forCourse(
    courseId: Types.ObjectId,
    userId?: Types.ObjectId,
  ): Promise<{ sessions: ScheduledSession[]; byUser: Map<string, CourseAttendance> }> {
    const [sessions, intervals] = await Promise.all([
      this.sessions.byCourse(courseId, false),
      this.intervals.byCourse(courseId, userId),
    ]);
    const counted = AttendanceCalculator.counted(sessions);
    return { sessions: counted, byUser: AttendanceCalculator.perUser(counted, intervals) };
  }
}
