/**
 * Where the live service is. The API's `/api/live/config` says so; the last
 * good answer is kept in localStorage, so a participant can re-enter the room
 * while the API is down (the live service may well be up), instead of falling
 * back to the page's origin, which serves no socket.io (#10).
 * Small on purpose: "Kelas saya" imports it to refresh the answer early.
 */
import { api } from '../api/client';

export interface LiveEndpoint {
  url: string;
  path?: string;
}

declare global {
  interface Window {
    /** Injected by a deployment (or a test) instead of asking the API. */
    BALAI_CONFIG?: { liveUrl?: string; livePath?: string };
  }
}

const KEY = 'balai.liveEndpoint';

export function cachedLiveEndpoint(): LiveEndpoint | null {
  try {
    const raw = localStorage.getItem(KEY);
    const value = raw ? (JSON.parse(raw) as Partial<LiveEndpoint>) : null;
    return value && typeof value.url === 'string' && value.url
      ? { url: value.url, path: typeof value.path === 'string' ? value.path : undefined }
      : null;
  } catch {
    return null;
  }
}

function remember(ep: LiveEndpoint, at = Date.now()): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ ...ep, at }));
  } catch {
    /* private mode: only this page load knows it */
  }
}

/** Ask the API now; remembers and returns the answer, or null when the API cannot be reached. */
export async function fetchLiveEndpoint(): Promise<LiveEndpoint | null> {
  const injected = window.BALAI_CONFIG;
  if (injected?.liveUrl) return { url: injected.liveUrl, path: injected.livePath };
  try {
    const c = await api.liveConfig();
    if (!c.liveUrl) return null;
    const ep: LiveEndpoint = { url: c.liveUrl, path: c.socketPath };
    remember(ep);
    return ep;
  } catch {
    return null;
  }
}

/**
 * The API's answer of the last few minutes (the prefetch on "Kelas saya"
 * asked), so entering the room does not wait one more round trip for it on a
 * weak link (#10); null when there is none that recent.
 */
export function recentLiveEndpoint(maxAgeMs = 5 * 60_000, now = Date.now()): LiveEndpoint | null {
  const injected = window.BALAI_CONFIG;
  if (injected?.liveUrl) return { url: injected.liveUrl, path: injected.livePath };
  try {
    const at = (JSON.parse(localStorage.getItem(KEY) ?? 'null') as { at?: unknown } | null)?.at;
    return typeof at === 'number' && now - at >= 0 && now - at <= maxAgeMs ? cachedLiveEndpoint() : null;
  } catch {
    return null;
  }
}

/** The fresh answer if the API gives one, else the remembered one, else null. */
export async function resolveLiveEndpoint(): Promise<LiveEndpoint | null> {
  return (await fetchLiveEndpoint()) ?? cachedLiveEndpoint();
}
