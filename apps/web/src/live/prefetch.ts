/**
 * Called from "Kelas saya" (and the trainer's list): downloads the room's code
 * (mediasoup-client, socket.io: the largest chunk) and refreshes the live
 * endpoint while the participant is still reading the page, so "Masuk kelas"
 * does not wait for them on a weak link (#10).
 */
import { fetchLiveEndpoint } from './endpoint';

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
