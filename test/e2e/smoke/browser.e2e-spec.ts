import type { Browser } from 'playwright-core';
import { existsSync } from 'node:fs';
import { startApiApp, RunningApp } from '../../support/api-app';
import { launchChromium } from '../../support/chromium';

/**
 * Headless Chromium (Debian's) opens the browser client served by the API.
 * Needs `npm run build:web` first (infra/balai test does it).
 */
describe('smoke: headless Chromium opens the platform', () => {
  let api: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    expect(existsSync('apps/web/dist/index.html')).toBe(true);
    api = await startApiApp();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('loads the web client from the API and renders it', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const response = await page.goto(api.url, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toMatch(/Balai/);
    await page.waitForSelector('#app *', { timeout: 10_000 });
    expect(errors).toEqual([]);
    await page.close();
  });
});
