/**
 * The eligibility read model: who qualifies for a course's certificate, read
 * from courses, sessions, enrolments and attendance and decided by the pure
 * rules in @balai/domain (`attendanceVerdict`). Used by the API (whom to
 * enqueue, what the issuing panel shows) and by the worker right before it
 * issues, so a participant below the threshold never gets a certificate even if
 * a job for them exists. Reads only; never writes.
 */
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import {
  attendanceVerdict,
  certificateRules,
  countedSessions,
  courseSchedule,
  groupIntervals,
  IneligibilityReason,
  summarizeAttendance,
} from '@balai/domain';
import { readAssessmentFacts } from '../assessment-facts';
import { AssessmentSettings, TestAnswer, TestAttempt } from '../schemas/assessment.schema';
import { AttendanceInterval } from '../schemas/attendance.schema';
import { Course } from '../schemas/course.schema';
import { CourseSession } from '../schemas/course-session.schema';
import { Enrollment } from '../schemas/enrollment.schema';
import { EvaluationSubmission } from '../schemas/evaluation.schema';

export interface ParticipantEligibility {
  userId: string;
  attendancePercent: number;
  attendedMinutes: number;
  sessionsAttended: number;
  eligible: boolean;
  /** Why not, when not eligible (the first unmet condition). */
  reason?: IneligibilityReason;
  /** Every unmet condition, when more than one. */
  reasons?: IneligibilityReason[];
}

export interface CourseEligibility {
  courseId: string;
  minAttendancePercent: number;
  certificatesEnabled: boolean;
  /** Minutes counted over (non-cancelled sessions, each as long as it was held). */
  scheduledMinutes: number;
  sessionCount: number;
  /** True when every non-cancelled session is over by `now`: ended by its host, or past its scheduled end. */
  allSessionsEnded: boolean;
  /** When not all sessions are over: the scheduled end of the last one still to be held. */
  lastSessionEndsAt?: Date;
  participants: ParticipantEligibility[];
}

@Injectable()
export class EligibilityRepository {
  constructor(
    @InjectModel(Course.name) private readonly courses: Model<Course>,
    @InjectModel(CourseSession.name) private readonly sessions: Model<CourseSession>,
    @InjectModel(Enrollment.name) private readonly enrollments: Model<Enrollment>,
    @InjectModel(AttendanceInterval.name) private readonly intervals: Model<AttendanceInterval>,
    @InjectModel(AssessmentSettings.name) private readonly assessmentSettings: Model<AssessmentSettings>,
    @InjectModel(TestAttempt.name) private readonly attempts: Model<TestAttempt>,
    @InjectModel(TestAnswer.name) private readonly answers: Model<TestAnswer>,
    @InjectModel(EvaluationSubmission.name) private readonly submissions: Model<EvaluationSubmission>,
  ) {}

  /** Every enrolled participant of the course, or only `userIds` when given. Null when the course does not exist. */
  async forCourse(courseId: string, userIds?: string[], now: Date = new Date()): Promise<CourseEligibility | null> {
    if (!Types.ObjectId.isValid(courseId)) return null;
    const id = new Types.ObjectId(courseId);
    const course = await this.courses.findById(id, { certificate: 1 }).lean();
    if (!course) return null;
    const stored = await this.sessions
      .find({ courseId: id }, { startsAt: 1, endsAt: 1, status: 1, liveEndedAt: 1 })
      .sort({ startsAt: 1 })
      .lean();
    const times = stored.map((s) => ({
      id: s._id.toString(),
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      status: s.status,
      liveEndedAt: s.liveEndedAt,
    }));
    const sessions = countedSessions(times);
    const schedule = courseSchedule(times, now);
    const enrollmentFilter: Record<string, unknown> = { courseId: id, status: 'enrolled' };
    if (userIds) enrollmentFilter.userId = { $in: userIds.map((u) => new Types.ObjectId(u)) };
    const enrolled = await this.enrollments.find(enrollmentFilter, { userId: 1 }).lean();
    const enrolledIds = new Set(enrolled.map((e) => e.userId.toString()));
    const wanted = userIds ?? [...enrolledIds];
    // The whole course: by course only. A `$in` of every enrolled person is not pushed down by FerretDB,
    // which then compares each interval with each id (10,000 people: 10^8 comparisons per snapshot).
    const intervalFilter: Record<string, unknown> = userIds
      ? { courseId: id, userId: { $in: wanted.map((u) => new Types.ObjectId(u)) } }
      : { courseId: id };
    const intervals = wanted.length
      ? await this.intervals.find(intervalFilter, { userId: 1, sessionId: 1, joinedAt: 1, leftAt: 1 }).lean()
      : [];
    const byUser = groupIntervals(intervals);
    const rules = certificateRules(course.certificate);
    // The course's optional post-test minimum and evaluation conditions (issue 11); nothing is read when it has none.
    const assessment = await readAssessmentFacts(
      {
        settings: this.assessmentSettings,
        attempts: this.attempts,
        answers: this.answers,
        submissions: this.submissions,
      },
      courseId,
      wanted,
      false,
      now,
    );
    const participants = wanted.map((userId): ParticipantEligibility => {
      const attendance = summarizeAttendance(sessions, byUser.get(userId));
      const facts = assessment.facts.get(userId) ?? { postTestPercent: null, evaluationSubmitted: false };
      const verdict = attendanceVerdict({
        rules,
        sessions,
        attendance,
        enrolled: enrolledIds.has(userId),
        assessment: { rules: assessment.rules, facts },
      });
      return {
        userId,
        attendancePercent: attendance.percent,
        attendedMinutes: attendance.attendedMinutes,
        sessionsAttended: attendance.sessionsAttended,
        ...verdict,
      };
    });
    return {
      courseId,
      minAttendancePercent: rules.minAttendancePercent,
      certificatesEnabled: rules.enabled,
      scheduledMinutes: summarizeAttendance(sessions, undefined).scheduledMinutes,
      sessionCount: sessions.length,
      allSessionsEnded: schedule.phase === 'over',
      lastSessionEndsAt: schedule.phase === 'over' ? undefined : schedule.endsAt,
      participants,
    };
  }
}
