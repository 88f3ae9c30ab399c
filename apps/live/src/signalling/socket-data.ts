import type { Socket } from 'socket.io';
import type { AuthUser } from '@balai/common';

/** What the handshake middleware and room:join leave on `socket.data`. */
export interface LiveSocketData {
  user: AuthUser;
  /** Set once the socket is admitted to a session's room. */
  sessionId?: string;
}

export type LiveSocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, LiveSocketData>;

/** socket.io room (channel) name of a session: every peer of the session is in it. */
export const sessionChannel = (sessionId: string) => `session:${sessionId}`;
