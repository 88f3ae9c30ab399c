import {
  attendedMinutes,
  countedSessions,
  courseAttendancePercent,
  groupIntervals,
  heldWindow,
  mergeIntervals,
  summarizeAttendance,
} from './attendance-math';

const t = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00Z`);
const session = { id: 's1', startsAt: t('02:00'), endsAt: t('04:00') };

describe('attendance arithmetic', () => {
  it('merges overlapping and touching intervals (reconnections)', () => {
    const merged = mergeIntervals(
      [
        { start: t('02:00'), end: t('02:30') },
        { start: t('02:30'), end: t('03:00') },
        { start: t('02:45'), end: t('03:10') },
      ],
      session.startsAt,
      session.endsAt,
    );
    expect(merged).toEqual([[t('02:00').getTime(), t('03:10').getTime()]]);
  });

  it('clips to the scheduled window and ignores time outside it', () => {
    expect(
      attendedMinutes(
        [
          { start: t('01:30'), end: t('02:15') },
          { start: t('03:50'), end: t('05:00') },
        ],
        session,
      ),
    ).toBe(25);
  });

  it('never counts an interval with no end, unless a live view asks for it', () => {
    const open = [{ start: t('03:00') }, { start: t('02:00'), end: null }];
    expect(attendedMinutes(open, session)).toBe(0);
    expect(attendedMinutes([{ start: t('03:00') }], session, { openUntil: t('03:20') })).toBe(20);
  });

  it('computes a course percentage over scheduled minutes', () => {
    const second = { id: 's2', startsAt: t('05:00'), endsAt: t('07:00') };
    const byId = new Map([
      ['s1', [{ start: t('02:00'), end: t('04:00') }]],
      ['s2', [{ start: t('05:00'), end: t('06:00') }]],
    ]);
    expect(courseAttendancePercent([session, second], byId)).toBe(75);
  });

  it('groups stored intervals by person and session', () => {
    const grouped = groupIntervals([
      { userId: 'u1', sessionId: 's1', joinedAt: t('02:00'), leftAt: t('02:10') },
      { userId: 'u1', sessionId: 's1', joinedAt: t('02:20') },
      { userId: 'u2', sessionId: 's2', joinedAt: t('05:00'), leftAt: t('05:30') },
    ]);
    expect(grouped.get('u1')?.get('s1')).toEqual([
      { start: t('02:00'), end: t('02:10') },
      { start: t('02:20'), end: null },
    ]);
    expect(grouped.get('u2')?.get('s2')).toHaveLength(1);
  });
});

describe('sessions counted', () => {
  it('leaves cancelled sessions out', () => {
    const sessions = countedSessions([
      { ...session, status: 'ended' },
      { id: 's2', startsAt: t('05:00'), endsAt: t('07:00'), status: 'cancelled' },
    ]);
    expect(sessions.map((s) => s.id)).toEqual(['s1']);
  });

  it('counts a session ended early against the time it was actually held', () => {
    const held = heldWindow({ ...session, status: 'ended', liveEndedAt: t('03:00') });
    expect(held).toEqual({ id: 's1', startsAt: t('02:00'), endsAt: t('03:00') });
    const summary = summarizeAttendance([held], new Map([['s1', [{ start: t('02:00'), end: t('03:00') }]]]));
    expect(summary).toMatchObject({ attendedMinutes: 60, scheduledMinutes: 60, percent: 100, sessionsAttended: 1 });
  });

  it('keeps the scheduled window when the host ended late or the session is not ended', () => {
    expect(heldWindow({ ...session, status: 'ended', liveEndedAt: t('04:30') }).endsAt).toEqual(t('04:00'));
    expect(heldWindow({ ...session, status: 'live', liveEndedAt: t('03:00') }).endsAt).toEqual(t('04:00'));
  });

  it('gives 0% and no attended sessions when there is nothing scheduled', () => {
    expect(summarizeAttendance([], undefined)).toEqual({
      attendedMinutes: 0,
      scheduledMinutes: 0,
      percent: 0,
      sessionsAttended: 0,
    });
  });
});
