/** Error codes a client can show; every refused event acks `{ ok: false, error }`. */
export const LiveErrorCode = {
  Unauthenticated: 'UNAUTHENTICATED',
  InvalidPayload: 'INVALID_PAYLOAD',
  SessionNotFound: 'SESSION_NOT_FOUND',
  NotAllowed: 'NOT_ALLOWED',
  TooEarly: 'TOO_EARLY',
  SessionOver: 'SESSION_OVER',
  Removed: 'REMOVED',
  NotInRoom: 'NOT_IN_ROOM',
  AlreadyInRoom: 'ALREADY_IN_ROOM',
  Forbidden: 'FORBIDDEN',
  NotFound: 'NOT_FOUND',
  BadState: 'BAD_STATE',
  RateLimited: 'RATE_LIMITED',
  MediaError: 'MEDIA_ERROR',
  RoomOnOtherNode: 'ROOM_ON_OTHER_NODE',
  /** A dependency (Redis, the database) is unreachable; the action was NOT applied. Retry later. */
  Unavailable: 'UNAVAILABLE',
  Internal: 'INTERNAL',
} as const;
export type LiveErrorCode = (typeof LiveErrorCode)[keyof typeof LiveErrorCode];

export interface LiveError {
  code: LiveErrorCode;
  message: string;
  /**
   * Extra machine-readable detail, e.g. the node id for ROOM_ON_OTHER_NODE, or
   * `errorId` for INTERNAL / MEDIA_ERROR / UNAVAILABLE (the same id is in the
   * server's log line; the message never carries internal error text).
   */
  details?: Record<string, unknown>;
}

export type Ack<T> = { ok: true; data: T } | { ok: false; error: LiveError };
