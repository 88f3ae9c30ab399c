import type { Page } from 'playwright-core';
import { sleep } from '../../../support/wait';

/** What the web client's development hooks (window.__balaiLive) say it receives, for the live browser tests. */
export type VideoStat = { consumerId: string; peerId: string; source: string; framesDecoded: number };
export const videoStats = (page: Page): Promise<VideoStat[]> =>
  page.evaluate(
    async () =>
      (window as unknown as { __balaiLive?: { videoStats(): Promise<VideoStat[]> } }).__balaiLive?.videoStats() ?? [],
  );

export type AudioStat = { consumerId: string; peerId: string; packetsReceived: number };
export const audioStats = (page: Page): Promise<AudioStat[]> =>
  page.evaluate(
    async () =>
      (window as unknown as { __balaiLive?: { audioStats(): Promise<AudioStat[]> } }).__balaiLive?.audioStats() ?? [],
  );

/**
 * Polls until the page receives the trainer's microphone on a consumer not in `old`
 * (packets counted on that consumer's own SSRC); returns when it did.
 */
export async function hearsNewAudio(page: Page, old: Set<string>, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await audioStats(page).catch(() => [] as AudioStat[]);
    if (stats.some((s) => s.packetsReceived > 0 && !old.has(s.consumerId))) return Date.now();
    if (Date.now() > deadline)
      throw new Error(`no new audio received within ${timeoutMs} ms: ${JSON.stringify(stats)}`);
    await sleep(100);
  }
}

/** Polls until the page decodes camera frames on a consumer not in `old`; returns when it did. */
export async function decodesNewVideo(page: Page, old: Set<string>, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await videoStats(page).catch(() => [] as VideoStat[]);
    if (stats.some((s) => s.source === 'camera' && s.framesDecoded > 0 && !old.has(s.consumerId))) return Date.now();
    if (Date.now() > deadline) throw new Error(`no new video decoded within ${timeoutMs} ms: ${JSON.stringify(stats)}`);
    await sleep(100);
  }
}
