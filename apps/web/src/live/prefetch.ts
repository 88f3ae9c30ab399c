/**
 * Called from "Kelas saya" (and the trainer's list): downloads the room's code
 * (mediasoup-client, socket.io: the largest chunk) and refreshes the live
 * endpoint while the participant is still reading the page, so "Masuk kelas"
 * does not wait for them on a weak link (#10).
 */
import { getAccessToken, refreshTokens } from '../api/client';
import { fetchLiveEndpoint, recentLiveEndpoint, resolveLiveEndpoint } from './endpoint';

let started = false;

export function prefetchLiveRoom(): void {
  if (started) return;
  started = true;
  const run = () => {
    void import('./room').catch(() => {
      started = false; // try again on the next visit
    });
    void fetchLiveEndpoint();
  };
  // After the page itself has what it needs.
  if ('requestIdleCallback' in window) window.requestIdleCallback(run, { timeout: 2000 });
  else setTimeout(run, 500);
}

/** The live socket's token: the current access token, refreshed when there is none. */
export const liveToken = async (): Promise<string | null> =>
  getAccessToken() ?? ((await refreshTokens()) ? getAccessToken() : null);

/**
 * How old a prefetched "is this session recorded?" answer may be when the
 * participant enters. Short on purpose: a recording started since the answer
 * was fetched must still be told before entering (issue 13), so an older
 * answer is asked again, at the cost of one round trip.
 */
export const ENTRY_STATUS_FRESH_MS = 10_000;
type EntryStatus = Awaited<ReturnType<typeof import('../screens/recordings/entry-notice').recordingEntryStatus>>;
const entryStatuses = new Map<string, { at: number; status: Promise<EntryStatus> }>();

/**
 * The answer to "is this session recorded?" (told before entering, issue 13)
 * asked on "Kelas saya", if it is at most ENTRY_STATUS_FRESH_MS old: entering
 * then does not wait one more round trip for it on a weak link (#10).
 */
export function prefetchedEntryStatus(sessionId: string, now = Date.now()): Promise<EntryStatus> | null {
  const entry = entryStatuses.get(sessionId);
  return entry && now - entry.at <= ENTRY_STATUS_FRESH_MS ? entry.status : null;
}

function prefetchEntryStatus(sessionId: string): void {
  const entry = entryStatuses.get(sessionId);
  if (entry && Date.now() - entry.at <= ENTRY_STATUS_FRESH_MS / 2) return;
  const status = import('../screens/recordings/entry-notice').then((m) => m.recordingEntryStatus(sessionId));
  status.catch(() => entryStatuses.delete(sessionId));
  entryStatuses.set(sessionId, { at: Date.now(), status });
}

/**
 * A session is open to join on this page: open the live socket now
 * (warm-connection.ts), so "Masuk kelas" starts with room:join instead of
 * three handshake round trips (#10), and ask whether the session is recorded.
 * Joins nothing by itself.
 */
export function warmLiveConnection(sessionId?: string): void {
  if (sessionId) prefetchEntryStatus(sessionId);
  void (async () => {
    const [mod, ep] = await Promise.all([import('./warm-connection'), recentLiveEndpoint() ?? resolveLiveEndpoint()]);
    if (ep) mod.warmLiveSocket({ url: ep.url, path: ep.path, getToken: liveToken });
  })().catch(() => undefined);
}
