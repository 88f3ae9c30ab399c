/**
 * Recording of a live session (issue 13): the host or a moderator starts and
 * stops it; everyone in the room hears `recording:status`; only the staff hear
 * `recording:notice` (a recorder problem, a full disk), never the room.
 * `recording:query` may be sent before joining, so a participant is told a
 * session is being recorded before entering it.
 * This file has no import from events.ts/payloads.ts: they spread its tables.
 */
import { z } from 'zod';

export const RecordingClientEvent = {
  RecordingStart: 'recording:start',
  RecordingStop: 'recording:stop',
  RecordingQuery: 'recording:query',
} as const;

export const RecordingServerEvent = {
  /** Recording started or stopped (to the whole room). */
  RecordingStatus: 'recording:status',
  /** Something the host must know (to staff sockets only). */
  RecordingNotice: 'recording:notice',
} as const;

const objectId = z.string().regex(/^[a-f0-9]{24}$/, 'expected a 24-hex id');

export const RECORDING_PAYLOAD_SCHEMAS = {
  [RecordingClientEvent.RecordingStart]: z.object({}).strict(),
  [RecordingClientEvent.RecordingStop]: z.object({}).strict(),
  [RecordingClientEvent.RecordingQuery]: z.object({ sessionId: objectId }).strict(),
} as const;

export interface RecordingStatus {
  /** True while the session is being recorded ("● Merekam"). */
  recording: boolean;
  /** Id of the running recording (several per session: stop and start again). */
  recordingId?: string;
  /** ISO instant the running recording started. */
  startedAt?: string;
  /** False when this live node cannot record (ffmpeg missing): the button is disabled with `unavailableReason`. */
  available: boolean;
  unavailableReason?: string;
}

export type RecordingNoticeReason = 'disk-full' | 'recorder-restarted' | 'recorder-failed' | 'stopped';

export interface RecordingNotice {
  reason: RecordingNoticeReason;
  message: string;
  recordingId?: string;
}

export interface RecordingNotifications {
  'recording:status': RecordingStatus;
  'recording:notice': RecordingNotice;
}

export interface RecordingAckData {
  'recording:start': RecordingStatus;
  'recording:stop': RecordingStatus;
  'recording:query': RecordingStatus;
}
