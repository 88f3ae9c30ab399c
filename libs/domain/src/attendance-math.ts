/**
 * Pure attendance arithmetic, shared by the API (reports, CSV) and the
 * certificate issuer (eligibility): intervals are clipped to the session's
 * scheduled window, overlapping or touching intervals (reconnections, two
 * tabs) are merged, and minutes are counted once.
 */
export interface Interval {
  start: Date;
  /** Open intervals (still in the room) count until `now`. */
  end?: Date | null;
}

export interface ScheduledSession {
  id: string;
  startsAt: Date;
  endsAt: Date;
}

/** Merge overlapping/touching intervals after clipping them to [from, to]. */
export function mergeIntervals(intervals: Interval[], from: Date, to: Date, now: Date = new Date()): Array<[number, number]> {
  const lo = from.getTime();
  const hi = to.getTime();
  const clipped = intervals
    .map((i) => [Math.max(i.start.getTime(), lo), Math.min((i.end ?? now).getTime(), hi)] as [number, number])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [s, e] of clipped) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

/** Attended minutes within one session's scheduled window. */
export function attendedMinutes(intervals: Interval[], session: ScheduledSession, now: Date = new Date()): number {
  const ms = mergeIntervals(intervals, session.startsAt, session.endsAt, now).reduce((sum, [s, e]) => sum + (e - s), 0);
  return ms / 60_000;
}

export function scheduledMinutes(session: ScheduledSession): number {
  return Math.max(0, session.endsAt.getTime() - session.startsAt.getTime()) / 60_000;
}

/**
 * Attendance percentage over a course: attended minutes over scheduled
 * minutes of its (non-cancelled) sessions, 0..100, rounded to 0.1.
 */
export function courseAttendancePercent(
  sessions: ScheduledSession[],
  intervalsBySession: Map<string, Interval[]>,
  now: Date = new Date(),
): number {
  const scheduled = sessions.reduce((sum, s) => sum + scheduledMinutes(s), 0);
  if (scheduled === 0) return 0;
  const attended = sessions.reduce((sum, s) => sum + attendedMinutes(intervalsBySession.get(s.id) ?? [], s, now), 0);
  return Math.round((attended / scheduled) * 1000) / 10;
}
