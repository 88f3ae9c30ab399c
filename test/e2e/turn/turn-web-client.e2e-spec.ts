import type { Browser } from 'playwright-core';
import { existsSync } from 'node:fs';
import type { RunningApp } from '../../support/api-app';
import { launchChromium } from '../../support/chromium';
import { createCourse, createSession, createUser, enrolDirect, TEST_PASSWORD } from '../../support/factories';
import type { RunningLive } from '../../support/live-app';
import { RunningCoturn, startCoturn } from './support/coturn';
import { forceRelay, Inbound, RelayTransport } from './support/relay';

/**
 * The real browser client (apps/web, built) behind a network that allows only
 * TURN: a participant at 360 px whose Chromium may only relay over UDP signs
 * in, enters the room and sees and hears the trainer, using the credentials
 * the live service put in its join and transport answers.
 */
jest.setTimeout(180_000);

describe('web client through TURN only (coturn, real API + live service)', () => {
  let coturn: RunningCoturn;
  let api: RunningApp;
  let live: RunningLive;
  let browser: Browser;

  beforeAll(async () => {
    expect(existsSync('apps/web/dist/index.html')).toBe(true);
    coturn = await startCoturn();
    process.env.TURN_SECRET = coturn.secret;
    process.env.TURN_URLS = [coturn.urls.udp, coturn.urls.tcp].join(',');
    const { startApiApp } = await import('../../support/api-app');
    const { startLiveApp } = await import('../../support/live-app');
    api = await startApiApp();
    live = await startLiveApp();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await live?.close();
    await api?.close();
    await coturn?.close();
  });

  it('a participant who can only relay sees and hears the trainer', async () => {
    const trainer = await createUser(api.app, 'trainer', { name: 'Pak Joko Pelatih' });
    const course = await createCourse(api.app, {
      title: 'Pemasaran Digital UMKM',
      status: 'ongoing',
      trainerIds: [trainer.id],
    });
    const session = await createSession(api.app, course.id, new Date(Date.now() - 5 * 60_000), 120, [trainer.id]);
    const participant = await createUser(api.app, 'participant', { name: 'Rina Wati' });
    await enrolDirect(api.app, course.id, participant.id);
    const config = `window.BALAI_CONFIG = { liveUrl: ${JSON.stringify(live.url)} };`;
    const signIn = async (page: import('playwright-core').Page, email: string) => {
      await page.goto(`${api.url}/#/masuk`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Kata sandi', { exact: true }).fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    };

    const hostContext = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'id-ID',
      permissions: ['camera', 'microphone'],
    });
    await hostContext.addInitScript(config);
    const host = await hostContext.newPage();
    await signIn(host, trainer.email);
    await host.getByRole('heading', { name: 'Kelas yang saya ajar' }).waitFor();
    await host.goto(`${api.url}/#/sesi/${session.id}`);
    await host.getByTestId('enter-room').click();
    await host.locator('.live[data-status="live"]').waitFor();

    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      locale: 'id-ID',
    });
    await context.addInitScript(config);
    await context.addInitScript(forceRelay, 'udp' as RelayTransport);
    const page = await context.newPage();
    await signIn(page, participant.email);
    await page.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    await page.goto(`${api.url}/#/sesi/${session.id}`);
    await page.locator('.live[data-status="live"]').waitFor();

    let inbound: Inbound[] = [];
    const receiving = () =>
      inbound.some((s) => s.kind === 'video' && s.framesDecoded > 5) &&
      inbound.some((s) => s.kind === 'audio' && s.packetsReceived > 10);
    for (let i = 0; i < 120 && !receiving(); i += 1) {
      await page.waitForTimeout(250);
      inbound = await page.evaluate(() => window.__relay.inbound());
    }
    expect(inbound).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'video' }), expect.objectContaining({ kind: 'audio' })]),
    );
    expect(receiving()).toBe(true);
    const pairs = await page.evaluate(() => window.__relay.selected());
    expect(pairs.length).toBeGreaterThan(0);
    for (const pair of pairs) expect(pair).toMatchObject({ candidateType: 'relay', relayProtocol: 'udp' });
    await page.locator('.stage video').waitFor();
    await context.close();
    await hostContext.close();
  });
});
