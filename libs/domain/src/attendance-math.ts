/**
 * Pure attendance arithmetic, the one place that decides how presence is
 * counted. Used by the API (attendance views, reports, course pages) and by the
 * certificate issuer (eligibility), so they can never disagree.
 *
 * - A session counts over the time it was actually held: its scheduled window,
 *   cut short when the host ended it early (`heldWindow`). Cancelled sessions
 *   count neither for nor against anyone.
 * - Intervals are clipped to that window; overlapping or touching intervals
 *   (reconnections, two tabs) are merged, so minutes are counted once.
 * - An interval with no end (nobody recorded the leave: the person may still be
 *   in the room, or the live node died) counts only when the caller passes
 *   `openUntil` (a live view of a running session). Verdicts, reports and
 *   certificates never pass it: an interval nobody closed never earns anything.
 */
import type { SessionStatus } from './course';

export interface Interval {
  start: Date;
  /** Missing or null: still open. */
  end?: Date | null;
}

/** A session as stored: what `heldWindow` needs. */
export interface SessionTimes {
  id: string;
  title?: string;
  startsAt: Date;
  endsAt: Date;
  status?: SessionStatus;
  /** When the host ended the live room (set with status 'ended'). */
  liveEndedAt?: Date | null;
}

/** The window a session's attendance is counted against. */
export interface ScheduledSession {
  id: string;
  startsAt: Date;
  endsAt: Date;
}

/** A stored presence interval of one person in one session. */
export interface IntervalRow {
  userId: unknown;
  sessionId: unknown;
  joinedAt: Date;
  leftAt?: Date | null;
}

export interface CountOptions {
  /** Count open intervals up to this instant (live views only). Omitted: open intervals count nothing. */
  openUntil?: Date;
}

/** The scheduled window, ending when the host ended the session if that was earlier. */
export function heldWindow(session: SessionTimes): ScheduledSession {
  const ended = session.status === 'ended' && session.liveEndedAt ? session.liveEndedAt : null;
  const endsAt =
    ended && ended.getTime() < session.endsAt.getTime()
      ? new Date(Math.max(ended.getTime(), session.startsAt.getTime()))
      : session.endsAt;
  return { id: session.id, startsAt: session.startsAt, endsAt };
}

/** The sessions attendance is counted over: non-cancelled ones, each over the time it was held. */
export function countedSessions(sessions: SessionTimes[]): ScheduledSession[] {
  return sessions.filter((s) => s.status !== 'cancelled').map(heldWindow);
}

/** True when the session can no longer be attended: ended by its host or past its scheduled end. */
export function sessionIsOver(session: SessionTimes, now: Date): boolean {
  if (session.status === 'cancelled') return true;
  return session.status === 'ended' || session.endsAt.getTime() <= now.getTime();
}

/** userId -> sessionId -> intervals. */
export type IntervalsByUser = Map<string, Map<string, Interval[]>>;

export function groupIntervals(rows: IntervalRow[]): IntervalsByUser {
  const byUser: IntervalsByUser = new Map();
  for (const row of rows) {
    const user = String(row.userId);
    const session = String(row.sessionId);
    const bySession = byUser.get(user) ?? new Map<string, Interval[]>();
    byUser.set(user, bySession);
    const list = bySession.get(session) ?? [];
    list.push({ start: row.joinedAt, end: row.leftAt ?? null });
    bySession.set(session, list);
  }
  return byUser;
}

/** Merge overlapping/touching intervals after clipping them to [from, to]. */
export function mergeIntervals(
  intervals: Interval[],
  from: Date,
  to: Date,
  options: CountOptions = {},
): Array<[number, number]> {
  const lo = from.getTime();
  const hi = to.getTime();
  const clipped: Array<[number, number]> = [];
  for (const i of intervals) {
    const end = i.end ?? options.openUntil;
    if (!end) continue;
    const s = Math.max(i.start.getTime(), lo);
    const e = Math.min(end.getTime(), hi);
    if (e > s) clipped.push([s, e]);
  }
  clipped.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [s, e] of clipped) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

/** Attended minutes within one session's window. */
export function attendedMinutes(intervals: Interval[], session: ScheduledSession, options: CountOptions = {}): number {
  const ms = mergeIntervals(intervals, session.startsAt, session.endsAt, options).reduce(
    (sum, [s, e]) => sum + (e - s),
    0,
  );
  return ms / 60_000;
}

export function scheduledMinutes(session: ScheduledSession): number {
  return Math.max(0, session.endsAt.getTime() - session.startsAt.getTime()) / 60_000;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export interface AttendanceSummary {
  /** Rounded to 0.1. */
  attendedMinutes: number;
  /** Rounded to 0.1. */
  scheduledMinutes: number;
  /** Attended over scheduled minutes, 0..100, rounded to 0.1; 0 when nothing was scheduled. */
  percent: number;
  /** Sessions with any attended time. */
  sessionsAttended: number;
}

/** One person's attendance over a course's counted sessions. */
export function summarizeAttendance(
  sessions: ScheduledSession[],
  bySession: Map<string, Interval[]> | undefined,
  options: CountOptions = {},
): AttendanceSummary {
  const scheduled = sessions.reduce((sum, s) => sum + scheduledMinutes(s), 0);
  const minutes = sessions.map((s) => attendedMinutes(bySession?.get(s.id) ?? [], s, options));
  const attended = minutes.reduce((a, b) => a + b, 0);
  return {
    attendedMinutes: round1(attended),
    scheduledMinutes: round1(scheduled),
    percent: scheduled > 0 ? round1((attended / scheduled) * 100) : 0,
    sessionsAttended: minutes.filter((m) => m > 0).length,
  };
}

/** Attendance percentage over a course: see `summarizeAttendance`. */
export function courseAttendancePercent(
  sessions: ScheduledSession[],
  bySession: Map<string, Interval[]>,
  options: CountOptions = {},
): number {
  return summarizeAttendance(sessions, bySession, options).percent;
}
