/**
 * What the room header names: course, session title and end time. Read from
 * the API once and kept per session in localStorage, so a re-entry while the
 * API is down still shows them.
 */
import { api, getAccessToken, refreshTokens } from '../api/client';
import type { Ok } from '../api/client';

type SessionBody = Ok<'/api/sessions/{id}', 'get'>;

/** GET /api/sessions/:id (not in the shared API module yet; typed from the same OpenAPI document). */
async function fetchSession(sessionId: string): Promise<SessionBody> {
  const once = () =>
    fetch(`/api/sessions/${encodeURIComponent(sessionId)}`, {
      headers: {
        Accept: 'application/json',
        ...(getAccessToken() ? { Authorization: `Bearer ${getAccessToken()}` } : {}),
      },
    });
  let res = await once();
  if (res.status === 401 && (await refreshTokens())) res = await once();
  if (!res.ok) throw new Error(`session ${res.status}`);
  return (await res.json()) as SessionBody;
}

export interface RoomInfo {
  courseTitle: string;
  sessionTitle: string;
  endsAt: string;
}

const key = (sessionId: string) => `balai.room.${sessionId}`;

export function cachedRoomInfo(sessionId: string): RoomInfo | null {
  try {
    const raw = localStorage.getItem(key(sessionId));
    return raw ? (JSON.parse(raw) as RoomInfo) : null;
  } catch {
    return null;
  }
}

export async function loadRoomInfo(sessionId: string): Promise<RoomInfo | null> {
  try {
    const session = await fetchSession(sessionId);
    const course = await api.course(session.courseId);
    const info: RoomInfo = { courseTitle: course.title, sessionTitle: session.title, endsAt: session.endsAt };
    try {
      localStorage.setItem(key(sessionId), JSON.stringify(info));
    } catch {
      /* not kept */
    }
    return info;
  } catch {
    return cachedRoomInfo(sessionId);
  }
}
