/**
 * Which live node to reconnect to (issue 14). Every live node answers
 * `GET /placement?sessionId=` with the node to use (the session's owner, or
 * the least-loaded node) and the addresses of all live nodes. The client asks
 * when its connection is lost, so a node that died or shut down is left for
 * one that serves the session, without sticky sessions or a reload.
 */
export interface PlacementAnswer {
  url: string;
  nodes: string[];
}

const httpUrl = (value: unknown): value is string => typeof value === 'string' && /^https?:\/\/[^\s]+$/.test(value);

/** The first answer of `bases`, asked in order (a dead node costs at most `timeoutMs`); null when none answers. */
export async function askPlacement(
  bases: readonly string[],
  sessionId: string,
  timeoutMs = 1500,
): Promise<PlacementAnswer | null> {
  for (const base of new Set(bases.filter(httpUrl))) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const url = new URL(
        `placement?sessionId=${encodeURIComponent(sessionId)}`,
        base.endsWith('/') ? base : `${base}/`,
      );
      const response = await fetch(url, { signal: abort.signal, credentials: 'omit' });
      if (!response.ok) continue;
      const body = (await response.json()) as { url?: unknown; nodes?: unknown };
      if (!httpUrl(body.url)) continue;
      const nodes = Array.isArray(body.nodes) ? body.nodes.filter(httpUrl).slice(0, 32) : [];
      return { url: body.url, nodes };
    } catch {
      /* unreachable or not a live node: the next one */
    } finally {
      clearTimeout(timer);
    }
  }
  return null;
}
