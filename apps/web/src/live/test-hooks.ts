/**
 * Development and test hooks: `window.__balaiLive` with the client's state,
 * the socket, raw requests and per-consumer stats. Loaded as its own chunk only
 * when the flag is on (`vite` dev server, or `window.BALAI_TEST_HOOKS = true`
 * set before the page loads, as the browser tests do), so participants never
 * download or run it.
 */
import type { LiveClient } from './live-client';

declare global {
  interface Window {
    __balaiLive?: unknown;
  }
}

export function installTestHooks(client: LiveClient): () => void {
  const hooks = {
    state: client.state,
    get socket() {
      return client.socket;
    },
    request: client.request.bind(client),
    async videoStats() {
      const { streams } = await client.inbound();
      return streams
        .filter((s) => s.kind === 'video')
        .map((s) => ({
          consumerId: s.consumerId,
          peerId: s.peerId,
          source: s.source,
          ssrc: s.ssrc,
          framesDecoded: s.framesDecoded,
          frameWidth: s.frameWidth,
        }));
    },
    async audioStats() {
      const { streams } = await client.inbound();
      return streams
        .filter((s) => s.kind === 'audio')
        .map((s) => ({ consumerId: s.consumerId, peerId: s.peerId, packetsReceived: s.packetsReceived }));
    },
    /** Everything the receiver measured (inbound streams by consumer SSRC, RTT). */
    inbound: () => client.inbound(),
    /** The last `media:report-network` sent (receiver measurements). */
    lastNetworkReport: () => client.lastNetworkReport,
  };
  window.__balaiLive = hooks;
  return () => {
    if (window.__balaiLive === hooks) delete window.__balaiLive;
  };
}
