import { attendedMinutes, courseAttendancePercent, mergeIntervals } from './attendance-math';

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
    expect(attendedMinutes([{ start: t('01:30'), end: t('02:15') }, { start: t('03:50'), end: t('05:00') }], session)).toBe(25);
  });

  it('counts an open interval until now', () => {
    expect(attendedMinutes([{ start: t('03:00') }], session, t('03:20'))).toBe(20);
  });

  it('computes a course percentage over scheduled minutes', () => {
    const second = { id: 's2', startsAt: t('05:00'), endsAt: t('07:00') };
    const byId = new Map([
      ['s1', [{ start: t('02:00'), end: t('04:00') }]],
      ['s2', [{ start: t('05:00'), end: t('06:00') }]],
    ]);
    expect(courseAttendancePercent([session, second], byId)).toBe(75);
  });
});
