/**
 * Who qualifies for a course's certificate, decided once. The API (attendance
 * views, reports, issuing) and the worker (right before it issues) all call
 * `attendanceVerdict`, with the course's rules resolved by `certificateRules`.
 */
import { AttendanceSummary, ScheduledSession, SessionTimes, sessionIsOver } from './attendance-math';
import { AssessmentFacts, AssessmentRules, assessmentRequirements } from './assessment';
import { COURSE_TRANSITIONS, CourseStatus, CourseType, DEFAULT_MIN_ATTENDANCE_PERCENT } from './course';

export interface CertificateRulesInput {
  enabled?: boolean | null;
  minAttendancePercent?: number | null;
  autoIssue?: boolean | null;
}

export interface ResolvedCertificateRules {
  enabled: boolean;
  minAttendancePercent: number;
  autoIssue: boolean;
}

/** A stored course's rules with their defaults filled in (documents written before a field existed). */
export function certificateRules(rules?: CertificateRulesInput | null): ResolvedCertificateRules {
  return {
    enabled: rules?.enabled !== false,
    minAttendancePercent: rules?.minAttendancePercent ?? DEFAULT_MIN_ATTENDANCE_PERCENT,
    autoIssue: rules?.autoIssue === true,
  };
}

/** Rules for a new course: certificates on for trainings, off for outreach sessions, unless asked otherwise. */
export function newCourseCertificateRules(
  type: CourseType,
  requested?: CertificateRulesInput | null,
): ResolvedCertificateRules {
  return certificateRules({
    enabled: requested?.enabled ?? type === 'pelatihan',
    minAttendancePercent: requested?.minAttendancePercent,
    autoIssue: requested?.autoIssue,
  });
}

export const INELIGIBILITY_REASONS = [
  'CERTIFICATES_DISABLED',
  'NOT_ENROLLED',
  'NO_SESSIONS',
  'BELOW_THRESHOLD',
  // Optional assessment conditions of issue 11 (libs/domain/src/assessment.ts).
  'POST_TEST_MISSING',
  'POST_TEST_BELOW_MINIMUM',
  'EVALUATION_MISSING',
] as const;
export type IneligibilityReason = (typeof INELIGIBILITY_REASONS)[number];

export interface AttendanceVerdict {
  eligible: boolean;
  /** Why not, when not eligible: the first unmet condition. */
  reason?: IneligibilityReason;
  /** Every unmet condition, when more than one (what the participant still has to do). */
  reasons?: IneligibilityReason[];
}

/**
 * The verdict for one person. `meetsThreshold` in views and `metThreshold` in
 * reports are `attendanceVerdict(...).eligible` with `enrolled: true` and no
 * `assessment`. With `assessment`, the course's optional post-test minimum and
 * evaluation conditions count too (every one of them, after attendance).
 */
export function attendanceVerdict(input: {
  rules: ResolvedCertificateRules;
  sessions: ScheduledSession[];
  attendance: Pick<AttendanceSummary, 'percent' | 'scheduledMinutes'>;
  enrolled: boolean;
  assessment?: { rules: AssessmentRules | null | undefined; facts: AssessmentFacts };
}): AttendanceVerdict {
  if (!input.rules.enabled) return { eligible: false, reason: 'CERTIFICATES_DISABLED' };
  if (!input.enrolled) return { eligible: false, reason: 'NOT_ENROLLED' };
  const unmet: IneligibilityReason[] = [];
  if (input.sessions.length === 0 || input.attendance.scheduledMinutes <= 0) unmet.push('NO_SESSIONS');
  else if (input.attendance.percent < input.rules.minAttendancePercent) unmet.push('BELOW_THRESHOLD');
  if (input.assessment) unmet.push(...assessmentRequirements(input.assessment.rules, input.assessment.facts));
  if (!unmet.length) return { eligible: true };
  return unmet.length === 1
    ? { eligible: false, reason: unmet[0] }
    : { eligible: false, reason: unmet[0], reasons: unmet };
}

/** Met the attendance threshold (ignores whether certificates are enabled). */
export function meetsAttendanceThreshold(
  rules: ResolvedCertificateRules,
  sessions: ScheduledSession[],
  attendance: Pick<AttendanceSummary, 'percent' | 'scheduledMinutes'>,
): boolean {
  return attendanceVerdict({ rules: { ...rules, enabled: true }, sessions, attendance, enrolled: true }).eligible;
}

export const SCHEDULE_PHASES = ['unscheduled', 'upcoming', 'running', 'over'] as const;
export type SchedulePhase = (typeof SCHEDULE_PHASES)[number];

export interface CourseSchedule {
  phase: SchedulePhase;
  /** The next session that is not over (running now or still to come). */
  next?: SessionTimes;
  /** When every session is over: the last of them ended (as held). */
  endedAt?: Date;
  /** While not over: the scheduled end of the last session still to be held. */
  endsAt?: Date;
}

/**
 * Where a course stands in time, from its non-cancelled sessions: `over` once
 * every session has ended (by its host, or its scheduled end passed), so a
 * course whose sessions are over is neither upcoming nor open for enrolment,
 * and certificates can be issued as soon as the host ends the last session.
 */
export function courseSchedule(sessions: SessionTimes[], now: Date): CourseSchedule {
  const live = sessions
    .filter((s) => s.status !== 'cancelled')
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  if (live.length === 0) return { phase: 'unscheduled' };
  const pending = live.filter((s) => !sessionIsOver(s, now));
  if (pending.length === 0) {
    const ends = live.map((s) =>
      Math.min(s.endsAt.getTime(), s.status === 'ended' && s.liveEndedAt ? s.liveEndedAt.getTime() : Infinity),
    );
    return { phase: 'over', endedAt: new Date(Math.max(...ends)) };
  }
  const next = pending[0]!;
  const started = live.some((s) => s.startsAt.getTime() <= now.getTime());
  return {
    phase: started ? 'running' : 'upcoming',
    next,
    endsAt: new Date(Math.max(...pending.map((s) => s.endsAt.getTime()))),
  };
}

/**
 * The lifecycle steps open to a course now: COURSE_TRANSITIONS, except that a
 * published course can be marked completed only once its sessions are over.
 */
export function allowedCourseTransitions(status: CourseStatus, phase: SchedulePhase): CourseStatus[] {
  return COURSE_TRANSITIONS[status].filter((to) => !(status === 'published' && to === 'completed' && phase !== 'over'));
}
