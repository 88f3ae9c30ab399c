import { countedSessions, summarizeAttendance } from './attendance-math';
import {
  allowedCourseTransitions,
  attendanceVerdict,
  certificateRules,
  courseSchedule,
  meetsAttendanceThreshold,
  newCourseCertificateRules,
} from './certificate-rules';
import { DEFAULT_MIN_ATTENDANCE_PERCENT } from './course';

const t = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00Z`);
const s1 = { id: 's1', startsAt: t('02:00'), endsAt: t('04:00') };
const s2 = { id: 's2', startsAt: t('05:00'), endsAt: t('07:00') };

describe('certificate rules', () => {
  it('fills the defaults of a stored course from DEFAULT_MIN_ATTENDANCE_PERCENT', () => {
    expect(certificateRules(undefined)).toEqual({
      enabled: true,
      minAttendancePercent: DEFAULT_MIN_ATTENDANCE_PERCENT,
      autoIssue: false,
    });
    expect(certificateRules({ minAttendancePercent: 0 }).minAttendancePercent).toBe(0);
    expect(certificateRules({ enabled: false }).enabled).toBe(false);
  });

  it('turns certificates on for trainings and off for outreach sessions unless asked', () => {
    expect(newCourseCertificateRules('pelatihan').enabled).toBe(true);
    expect(newCourseCertificateRules('sosialisasi').enabled).toBe(false);
    expect(newCourseCertificateRules('sosialisasi', { enabled: true, minAttendancePercent: 50 })).toEqual({
      enabled: true,
      minAttendancePercent: 50,
      autoIssue: false,
    });
  });
});

describe('attendanceVerdict', () => {
  const rules = certificateRules({});
  const attended = (bySession: Record<string, Array<[string, string]>>, sessions = [s1, s2]) =>
    summarizeAttendance(
      sessions,
      new Map(Object.entries(bySession).map(([id, list]) => [id, list.map(([a, b]) => ({ start: t(a), end: t(b) }))])),
    );

  it('qualifies at or above the threshold and says why not below it', () => {
    expect(
      attendanceVerdict({
        rules,
        sessions: [s1, s2],
        attendance: attended({ s1: [['02:00', '04:00']], s2: [['05:00', '06:12']] }),
        enrolled: true,
      }),
    ).toEqual({ eligible: true });
    expect(
      attendanceVerdict({
        rules,
        sessions: [s1, s2],
        attendance: attended({ s1: [['02:00', '04:00']] }),
        enrolled: true,
      }),
    ).toEqual({ eligible: false, reason: 'BELOW_THRESHOLD' });
  });

  it('with threshold 0 every enrolled participant qualifies, even absent ones', () => {
    const zero = certificateRules({ minAttendancePercent: 0 });
    expect(attendanceVerdict({ rules: zero, sessions: [s1], attendance: attended({}, [s1]), enrolled: true })).toEqual({
      eligible: true,
    });
    expect(attendanceVerdict({ rules: zero, sessions: [s1], attendance: attended({}, [s1]), enrolled: false })).toEqual(
      { eligible: false, reason: 'NOT_ENROLLED' },
    );
  });

  it('nobody qualifies for a course without sessions, whatever the threshold', () => {
    const zero = certificateRules({ minAttendancePercent: 0 });
    expect(
      attendanceVerdict({ rules: zero, sessions: [], attendance: summarizeAttendance([], undefined), enrolled: true }),
    ).toEqual({ eligible: false, reason: 'NO_SESSIONS' });
  });

  it('cancelled sessions count neither for nor against anyone', () => {
    const sessions = countedSessions([
      { ...s1, status: 'ended' },
      { ...s2, status: 'cancelled' },
    ]);
    expect(
      attendanceVerdict({
        rules,
        sessions,
        attendance: attended({ s1: [['02:00', '04:00']] }, sessions),
        enrolled: true,
      }),
    ).toEqual({ eligible: true });
  });

  it('a session ended early counts against the time it was held', () => {
    const sessions = countedSessions([{ ...s1, status: 'ended', liveEndedAt: t('03:00') }]);
    const attendance = attended({ s1: [['02:00', '03:00']] }, sessions);
    expect(attendance.percent).toBe(100);
    expect(meetsAttendanceThreshold(rules, sessions, attendance)).toBe(true);
  });

  it('an interval nobody closed never qualifies anyone', () => {
    const open = summarizeAttendance([s1], new Map([['s1', [{ start: t('02:00'), end: null }]]]));
    expect(open.percent).toBe(0);
    expect(attendanceVerdict({ rules, sessions: [s1], attendance: open, enrolled: true })).toEqual({
      eligible: false,
      reason: 'BELOW_THRESHOLD',
    });
  });

  it('disabled certificates come first', () => {
    expect(
      attendanceVerdict({
        rules: certificateRules({ enabled: false }),
        sessions: [s1],
        attendance: attended({ s1: [['02:00', '04:00']] }, [s1]),
        enrolled: true,
      }).reason,
    ).toBe('CERTIFICATES_DISABLED');
  });
});

describe('courseSchedule', () => {
  it('is upcoming before the first session and names the next one', () => {
    const s = courseSchedule(
      [
        { ...s2, status: 'scheduled' as const },
        { ...s1, status: 'scheduled' as const },
      ],
      t('01:00'),
    );
    expect(s).toMatchObject({ phase: 'upcoming', next: { id: 's1' }, endsAt: t('07:00') });
  });

  it('shows the next session, not a past one, while running', () => {
    expect(
      courseSchedule(
        [
          { ...s1, status: 'ended' as const },
          { ...s2, status: 'scheduled' as const },
        ],
        t('04:30'),
      ),
    ).toMatchObject({ phase: 'running', next: { id: 's2' } });
  });

  it('is over as soon as the host ends the last session early', () => {
    const s = courseSchedule(
      [
        { ...s1, status: 'ended' as const },
        { ...s2, status: 'ended' as const, liveEndedAt: t('06:00') },
      ],
      t('06:01'),
    );
    expect(s).toEqual({ phase: 'over', endedAt: t('06:00') });
  });

  it('is over once every scheduled end has passed, and ignores cancelled sessions', () => {
    expect(
      courseSchedule(
        [
          { ...s1, status: 'scheduled' as const },
          { ...s2, status: 'cancelled' as const },
        ],
        t('04:00'),
      ).phase,
    ).toBe('over');
    expect(courseSchedule([{ ...s1, status: 'cancelled' as const }], t('01:00')).phase).toBe('unscheduled');
  });
});

describe('allowedCourseTransitions', () => {
  it('lets a published course be marked completed once its sessions are over, not before', () => {
    expect(allowedCourseTransitions('published', 'over')).toContain('completed');
    expect(allowedCourseTransitions('published', 'upcoming')).not.toContain('completed');
    expect(allowedCourseTransitions('ongoing', 'running')).toContain('completed');
    expect(allowedCourseTransitions('completed', 'over')).toEqual([]);
  });
});
