/**
 * Helpers for the browser tests of apps/web: the real API serving the built
 * client (and, when asked, the real live service), Chromium pages at phone or
 * laptop size, UI sign-in, and screenshots for a human to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TEST_PASSWORD } from '../../../support/factories';

export const PHONE = { width: 360, height: 740 };
export const LAPTOP = { width: 1280, height: 800 };

export const SCREENSHOT_ROOT = join(process.cwd(), 'test-output', 'screenshots');

export function screenshotDir(name: string): string {
  const dir = join(SCREENSHOT_ROOT, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function shot(page: Page, dir: string, name: string): Promise<void> {
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** A context that knows where the live service is (the API and the live service run on separate ports in tests). */
export async function newContext(
  browser: Browser,
  options: { viewport?: { width: number; height: number }; liveUrl?: string; isMobile?: boolean } = {},
): Promise<BrowserContext> {
  const viewport = options.viewport ?? LAPTOP;
  const context = await browser.newContext({
    viewport,
    isMobile: options.isMobile ?? viewport.width < 500,
    hasTouch: viewport.width < 500,
    locale: 'id-ID',
    timezoneId: 'Europe/London', // times must still be shown in WIB
    permissions: ['camera', 'microphone'],
  });
  if (options.liveUrl)
    await context.addInitScript(`window.BALAI_CONFIG = { liveUrl: ${JSON.stringify(options.liveUrl)} };`);
  // The live room's development hooks (window.__balaiLive: state and per-consumer stats) are off for real participants.
  await context.addInitScript('window.BALAI_TEST_HOOKS = true;');
  return context;
}

export async function signIn(page: Page, baseUrl: string, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/#/masuk`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Kata sandi', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
}

/** Collects uncaught page errors so a test can assert there were none. */
export function trackErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}
