import './support/env';
import type { Browser, Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { startApiApp, RunningApp } from '../../support/api-app';
import { launchChromium } from '../../support/chromium';
import { createCourse, createSession, createUser, enrolDirect } from '../../support/factories';
import { RunningLive, startLiveApp } from '../../integration/live/support/live-app';
import { newContext, PHONE, screenshotDir, shot, signIn } from './support/web';

/**
 * The live-room failure messages a participant or trainer sees, on the real
 * API and the real live service (mediasoup): session not started yet, camera
 * permission denied, connection lost (and recovered by itself).
 */
jest.setTimeout(120_000);

describe('web client: live room messages (Chromium, real API + live service)', () => {
  let api: RunningApp;
  let live: RunningLive;
  let browser: Browser;
  const shots = screenshotDir('web-live-messages');

  beforeAll(async () => {
    expect(existsSync('apps/web/dist/index.html')).toBe(true);
    api = await startApiApp();
    live = await startLiveApp();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await live?.close();
    await api?.close();
  });

  async function courseWithSession(startsInMinutes: number) {
    const trainer = await createUser(api.app, 'trainer', { name: 'Pak Joko Pelatih' });
    const course = await createCourse(api.app, { title: 'Manajemen Keuangan UMKM', status: 'ongoing', trainerIds: [trainer.id] });
    const session = await createSession(api.app, course.id, new Date(Date.now() + startsInMinutes * 60_000), 120, [trainer.id]);
    const participant = await createUser(api.app, 'participant', { name: 'Rina Wati' });
    await enrolDirect(api.app, course.id, participant.id);
    return { trainer, course, session, participant };
  }

  async function phonePage(): Promise<Page> {
    const context = await newContext(browser, { viewport: PHONE, liveUrl: live.url });
    return context.newPage();
  }

  it('says the session has not started yet, with the join button closed and the time it opens in WIB', async () => {
    const { session, participant } = await courseWithSession(180);
    const page = await phonePage();
    await signIn(page, api.url, participant.email);
    await page.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    const join = page.getByRole('button', { name: 'Masuk kelas' });
    await join.waitFor();
    expect(await join.isDisabled()).toBe(true);
    await page.getByText(/Tombol aktif mulai .* WIB/).waitFor();
    await shot(page, shots, '01-kelas-saya-join-closed');

    // Going straight to the room anyway: the live service refuses and the UI explains.
    await page.goto(`${api.url}/#/sesi/${session.id}`);
    await page.getByTestId('join-error').filter({ hasText: /Sesi belum dimulai\. Anda bisa masuk mulai .* WIB\./ }).waitFor();
    await shot(page, shots, '02-session-not-started');
    await page.context().close();
  });

  it('tells a trainer that camera permission was denied, and lets them enter without a camera', async () => {
    const { trainer, session } = await courseWithSession(-5);
    const context = await newContext(browser, { liveUrl: live.url });
    await context.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    const page = await context.newPage();
    await signIn(page, api.url, trainer.email);
    await page.getByRole('heading', { name: 'Kelas yang saya ajar' }).waitFor();
    await page.goto(`${api.url}/#/sesi/${session.id}`);
    await page.getByRole('alert').filter({ hasText: 'Izin kamera/mikrofon ditolak. Buka pengaturan browser, izinkan kamera dan mikrofon untuk situs ini, lalu muat ulang halaman.' }).waitFor();
    await shot(page, shots, '03-camera-denied');
    await page.getByRole('button', { name: 'Masuk tanpa kamera' }).click();
    await page.locator('.live[data-status="live"]').waitFor();
    await page.getByRole('button', { name: 'Akhiri sesi' }).waitFor();
    await context.close();
  });

  it('shows "Menyambungkan ulang..." when the connection drops and recovers by itself', async () => {
    const { session, participant } = await courseWithSession(-5);
    const page = await phonePage();
    await signIn(page, api.url, participant.email);
    await page.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    await page.getByRole('link', { name: 'Masuk kelas' }).click();
    await page.locator('.live[data-status="live"]').waitFor();
    await page.getByText('Menunggu pelatih menyalakan kamera…').waitFor();
    await shot(page, shots, '04-room-waiting-host-phone');

    // Drop the transport under socket.io (what a lost mobile link looks like to the client).
    await page.evaluate(() => {
      const client = (window as unknown as { __balaiLive: { socket: { io: { reconnectionDelay(n: number): void; reconnectionDelayMax(n: number): void; randomizationFactor(n: number): void; engine: { close(): void } } } } }).__balaiLive;
      const manager = client.socket.io;
      manager.reconnectionDelay(2500);
      manager.reconnectionDelayMax(2500);
      manager.randomizationFactor(0);
      manager.engine.close();
    });
    await page.getByTestId('reconnecting').filter({ hasText: 'Menyambungkan ulang…' }).waitFor({ timeout: 2000 });
    await shot(page, shots, '05-reconnecting-phone');
    await page.getByTestId('reconnecting').waitFor({ state: 'detached', timeout: 20_000 });
    await page.locator('.live[data-status="live"]').waitFor();
    await page.context().close();
  });
});
