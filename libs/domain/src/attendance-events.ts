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
}

export const ATTENDANCE_EVENTS_PATH = '/api/internal/attendance/events';
export const INTERNAL_TOKEN_HEADER = 'x-internal-token';
