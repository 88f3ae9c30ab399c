import type { Browser, BrowserContext } from 'playwright-core';
import { existsSync } from 'node:fs';
import { startApiApp, RunningApp } from '../../../support/api-app';
import { launchChromium } from '../../../support/chromium';
import { startLiveApp, RunningLive } from '../../../support/live-app';
import { newContext } from './web';

/** The real API (and the live service when asked) with one Chromium, for a browser test file. */
export interface WebStack {
  readonly api: RunningApp;
  readonly live: RunningLive;
  readonly browser: Browser;
  /** A fresh browser context (see `newContext`), pointed at the live service when the stack has one. */
  newContext(options?: Omit<Parameters<typeof newContext>[1], 'liveUrl'>): Promise<BrowserContext>;
}

/**
 * Starts the stack before the file's tests and stops it after them (jest's
 * beforeAll/afterAll). The built client (apps/web/dist) must exist: `npm run build:web`.
 */
export function useWebStack(options: { live?: boolean } = {}): WebStack {
  let api: RunningApp | undefined;
  let live: RunningLive | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    expect(existsSync('apps/web/dist/index.html')).toBe(true);
    api = await startApiApp();
    if (options.live) live = await startLiveApp();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await live?.close();
    await api?.close();
  });

  const started = <T>(part: T | undefined, name: string): T => {
    if (part === undefined) throw new Error(`the web stack has no ${name} (not started, or not asked for)`);
    return part;
  };
  return {
    get api() {
      return started(api, 'API');
    },
    get live() {
      return started(live, 'live service');
    },
    get browser() {
      return started(browser, 'browser');
    },
    newContext(contextOptions = {}) {
      return newContext(started(browser, 'browser'), { ...contextOptions, liveUrl: live?.url });
    },
  };
}
