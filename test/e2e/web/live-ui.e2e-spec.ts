import './support/env';
import type { Page } from 'playwright-core';
import { createCourse, createSession, createUser, enrolDirect } from '../../support/factories';
import { useWebStack } from './support/stack';
import { PHONE, screenshotDir, shot, signIn } from './support/web';

/**
 * The live-room failure messages a participant or trainer sees, on the real
 * API and the real live service (mediasoup): session not started yet, camera
 * permission denied, connection lost (and recovered by itself); plus the
 * audio-only offer on a poor link and screen share on the main stage.
 */
jest.setTimeout(120_000);

describe('web client: live room messages (Chromium, real API + live service)', () => {
  const stack = useWebStack({ live: true });
  const shots = screenshotDir('web-live-messages');

  async function courseWithSession(startsInMinutes: number) {
    const trainer = await createUser(stack.api.app, 'trainer', { name: 'Pak Joko Pelatih' });
    const course = await createCourse(stack.api.app, {
      title: 'Manajemen Keuangan UMKM',
      status: 'ongoing',
      trainerIds: [trainer.id],
    });
    const session = await createSession(
      stack.api.app,
      course.id,
      new Date(Date.now() + startsInMinutes * 60_000),
      120,
      [trainer.id],
    );
    const participant = await createUser(stack.api.app, 'participant', { name: 'Rina Wati' });
    await enrolDirect(stack.api.app, course.id, participant.id);
    return { trainer, course, session, participant };
  }

  async function phonePage(): Promise<Page> {
    const context = await stack.newContext({ viewport: PHONE });
    return context.newPage();
  }

  it('says the session has not started yet, with the join button closed and the time it opens in WIB', async () => {
    const { session, participant } = await courseWithSession(180);
    const page = await phonePage();
    await signIn(page, stack.api.url, participant.email);
    await page.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    const join = page.getByRole('button', { name: 'Masuk kelas' });
    await join.waitFor();
    expect(await join.isDisabled()).toBe(true);
    await page.getByText(/Tombol aktif mulai .* WIB/).waitFor();
    await shot(page, shots, '01-kelas-saya-join-closed');

    // Going straight to the room anyway: the live service refuses and the UI explains.
    await page.goto(`${stack.api.url}/#/sesi/${session.id}`);
    await page
      .getByTestId('join-error')
      .filter({ hasText: /Sesi belum dimulai\. Anda bisa masuk mulai .* WIB\./ })
      .waitFor();
    await shot(page, shots, '02-session-not-started');
    await page.context().close();
  });

  it('tells a trainer that camera permission was denied, and lets them enter without a camera', async () => {
    const { trainer, session } = await courseWithSession(-5);
    const context = await stack.newContext();
    await context.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    const page = await context.newPage();
    await signIn(page, stack.api.url, trainer.email);
    await page.getByRole('heading', { name: 'Kelas yang saya ajar' }).waitFor();
    await page.goto(`${stack.api.url}/#/sesi/${session.id}`);
    await page
      .getByRole('alert')
      .filter({
        hasText:
          'Izin kamera/mikrofon ditolak. Buka pengaturan browser, izinkan kamera dan mikrofon untuk situs ini, lalu muat ulang halaman.',
      })
      .waitFor();
    await shot(page, shots, '03-camera-denied');
    await page.getByRole('button', { name: 'Masuk tanpa kamera' }).click();
    await page.locator('.live[data-status="live"]').waitFor();
    await page.getByRole('button', { name: 'Akhiri sesi' }).waitFor();
    await context.close();
  });

  it('shows "Menyambungkan ulang..." when the connection drops and recovers by itself', async () => {
    const { participant } = await courseWithSession(-5);
    const page = await phonePage();
    await signIn(page, stack.api.url, participant.email);
    await page.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    await page.getByRole('link', { name: 'Masuk kelas' }).click();
    await page.locator('.live[data-status="live"]').waitFor();
    await page.getByText('Menunggu pelatih menyalakan kamera…').waitFor();
    await shot(page, shots, '04-room-waiting-host-phone');

    // Drop the transport under socket.io (what a lost mobile link looks like to the client).
    await page.evaluate(() => {
      const client = (
        window as unknown as {
          __balaiLive: {
            socket: {
              io: {
                reconnectionDelay(n: number): void;
                reconnectionDelayMax(n: number): void;
                randomizationFactor(n: number): void;
                engine: { close(): void };
              };
            };
          };
        }
      ).__balaiLive;
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

  it('offers audio-only on a poor link; accepting stops the video (not the audio) and switching back restores it', async () => {
    const { trainer, session, participant } = await courseWithSession(-5);
    const hostContext = await stack.newContext();
    const host = await hostContext.newPage();
    await signIn(host, stack.api.url, trainer.email);
    await host.getByRole('heading', { name: 'Kelas yang saya ajar' }).waitFor();
    await host.goto(`${stack.api.url}/#/sesi/${session.id}`);
    await host.getByTestId('enter-room').click();
    await host.locator('.live[data-status="live"]').waitFor();

    const page = await phonePage();
    await signIn(page, stack.api.url, participant.email);
    await page.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    await page.goto(`${stack.api.url}/#/sesi/${session.id}`);
    await page.locator('.live[data-status="live"]').waitFor();
    type Stats = { video: number; audio: number };
    const stats = (): Promise<Stats> =>
      page.evaluate(async () => {
        const c = (
          window as unknown as {
            __balaiLive: {
              videoStats(): Promise<Array<{ framesDecoded: number }>>;
              audioStats(): Promise<Array<{ packetsReceived: number }>>;
            };
          }
        ).__balaiLive;
        const v = await c.videoStats();
        const a = await c.audioStats();
        return {
          video: v.reduce((n, x) => n + x.framesDecoded, 0),
          audio: a.reduce((n, x) => n + x.packetsReceived, 0),
        };
      });
    const until = async (what: string, ok: (s: Stats) => boolean) => {
      const started = Date.now();
      for (;;) {
        const s = await stats();
        if (ok(s)) return s;
        if (Date.now() - started > 20_000) throw new Error(`timed out: ${what} (${JSON.stringify(s)})`);
        await page.waitForTimeout(300);
      }
    };
    await until('video and audio flowing', (s) => s.video > 0 && s.audio > 0);
    await page.getByTestId('quality').waitFor();

    // The client reports a poor link (~100 kbit/s down); the live service answers with its audio-only suggestion.
    await page.evaluate(() =>
      (window as unknown as { __balaiLive: { request(e: string, p: unknown): Promise<unknown> } }).__balaiLive.request(
        'media:report-network',
        { quality: 'poor', availableBitrate: 100_000 },
      ),
    );
    await page.getByTestId('audio-only-offer').filter({ hasText: 'Koneksi Anda lemah.' }).waitFor();
    await shot(page, shots, '06-audio-only-offer-phone');
    await page.getByRole('button', { name: 'Ya, hanya suara' }).click();
    await page.getByText('Mode hanya suara aktif (hemat kuota)').first().waitFor();
    await page.waitForTimeout(1500); // let in-flight frames drain
    const paused = await stats();
    await page.waitForTimeout(2500);
    const later = await stats();
    expect(later.video - paused.video).toBeLessThanOrEqual(2); // no video decoded while audio-only
    expect(later.audio).toBeGreaterThan(paused.audio); // the trainer is still heard
    await shot(page, shots, '07-audio-only-phone');

    await page.getByTestId('audio-only').click(); // "Tampilkan video"
    await until('video back after audio-only', (s) => s.video > later.video + 5);
    await page.locator('.stage video').waitFor();
    await page.context().close();
    await hostContext.close();
  });

  it("puts the trainer's shared screen on the participant's main stage", async () => {
    const { trainer, session, participant } = await courseWithSession(-5);
    const hostContext = await stack.newContext();
    const host = await hostContext.newPage();
    await signIn(host, stack.api.url, trainer.email);
    await host.getByRole('heading', { name: 'Kelas yang saya ajar' }).waitFor();
    await host.goto(`${stack.api.url}/#/sesi/${session.id}`);
    await host.getByTestId('enter-room').click();
    await host.locator('.live[data-status="live"]').waitFor();

    const page = await phonePage();
    await signIn(page, stack.api.url, participant.email);
    await page.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    await page.goto(`${stack.api.url}/#/sesi/${session.id}`);
    await page.locator('.stage .stage-label', { hasText: 'Pak Joko Pelatih' }).waitFor();

    await host.getByTestId('share-screen').click();
    await page.locator('.stage .stage-label', { hasText: 'Pak Joko Pelatih · Bagikan layar' }).waitFor();
    const frames = async () =>
      page.evaluate(async () =>
        (
          await (
            window as unknown as {
              __balaiLive: { videoStats(): Promise<Array<{ source: string; framesDecoded: number }>> };
            }
          ).__balaiLive.videoStats()
        )
          .filter((v) => v.source === 'screen')
          .reduce((n, v) => n + v.framesDecoded, 0),
      );
    for (let i = 0; i < 60 && (await frames()) === 0; i++) await page.waitForTimeout(300);
    expect(await frames()).toBeGreaterThan(0);
    await shot(page, shots, '08-screen-share-on-stage-phone');
    await page.context().close();
    await hostContext.close();
  });
});
