/**
 * Attendance contract between the live service (reporter) and the API (system
 * of record): POST {API_INTERNAL_URL}/api/internal/attendance/events with header
 * `x-internal-token: INTERNAL_API_TOKEN`. The API answers 2xx once stored;
 * `eventId` makes a retried report idempotent, so the live service retries
 * until it gets a 2xx (or a 4xx, which it logs and drops).
 */
export interface AttendanceEvent {
  /** Unique per event (UUID), minted by the live service. */
  eventId: string;
  type: 'join' | 'leave';
  sessionId: string;
  userId: string;
  /** ISO-8601 instant the live node saw the event. */
  at: string;
  /** For `leave`: 'left' | 'disconnected' | 'removed' | 'session-ended' | ... */
  reason?: string;
  /**
   * For `leave`: the `eventId` of the join that opened the interval. The API
   * keys each interval by its join (derived `_id`), so a leave naming it is
   * stored by primary key; without it (older live nodes) the API searches.
   */
  joinEventId?: string;
}

export const ATTENDANCE_EVENTS_PATH = '/api/internal/attendance/events';

/**
 * Batched delivery: POST `{ events: AttendanceEvent[] }` (at most
 * ATTENDANCE_BATCH_MAX) to this path; the API answers 200 with one result per
 * event, in order. `retry` means that event was not stored (a transient
 * failure): send it again; every other result is final. A 404 means an API
 * without batches: send the events one by one to ATTENDANCE_EVENTS_PATH.
 */
export const ATTENDANCE_EVENTS_BATCH_PATH = '/api/internal/attendance/events/batch';
export const ATTENDANCE_BATCH_MAX = 250;
export type AttendanceEventOutcome = 'recorded' | 'duplicate' | 'ignored' | 'rejected' | 'retry';
export interface AttendanceBatchResult {
  results: Array<{ eventId: string; result: AttendanceEventOutcome; code?: string }>;
}
export const INTERNAL_TOKEN_HEADER = 'x-internal-token';
