import './support/env';
import { launchChromium } from '../../support/chromium';
import type { BrowserContext, Page } from 'playwright-core';
import { createCourse, createSession, createUser, enrolDirect } from '../../support/factories';
import { sleep } from '../../support/wait';
import { useWebStack } from './support/stack';
import { newContext, PHONE, screenshotDir, shot, signIn } from './support/web';

/**
 * A participant on a phone (360 px) in the real web client, for the weak-link
 * part of #10: the room code is fetched while "Kelas saya" is read; the quality
 * indicator says it is measuring until it has data and the receiver's
 * measurements (loss, jitter, fps, freezes) go to the server; the audio-only
 * offer and bar sit over the stage without pushing it down, the moderation
 * menu fits; and a media failure (no WebRTC, ICE that never connects, a page
 * that is not a secure context) is said in words with a way to retry.
 */
jest.setTimeout(180_000);

type LiveHooks = {
  state: { get(): Record<string, unknown>; set(fn: (s: Record<string, unknown>) => Record<string, unknown>): void };
  videoStats(): Promise<Array<{ consumerId: string; framesDecoded: number }>>;
  lastNetworkReport(): Record<string, number | string> | null;
};
const hooks = (page: Page) => page.evaluate(() => !!(window as unknown as { __balaiLive?: unknown }).__balaiLive);
const frames = (page: Page) =>
  page.evaluate(async () => {
    const h = (window as unknown as { __balaiLive?: LiveHooks }).__balaiLive;
    return h ? (await h.videoStats()).reduce((n, s) => n + s.framesDecoded, 0) : 0;
  });

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what} (${JSON.stringify(v)})`);
    await sleep(200);
  }
}

const rect = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const r = el.getBoundingClientRect();
      return {
        top: Math.round(r.top),
        bottom: Math.round(r.bottom),
        left: Math.round(r.left),
        right: Math.round(r.right),
      };
    });
const overflowX = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('web client on a weak link and with failing media (Chromium at 360 px, real API + live service)', () => {
  const stack = useWebStack({ live: true });
  const contexts: BrowserContext[] = [];
  const shots = screenshotDir('web-live-weak-link');

  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
  });

  async function course() {
    const trainer = await createUser(stack.api.app, 'trainer', { name: 'Bu Ratna Pelatih' });
    const c = await createCourse(stack.api.app, {
      title: 'Pengemasan Produk Pangan untuk Ekspor',
      status: 'ongoing',
      trainerIds: [trainer.id],
    });
    const session = await createSession(stack.api.app, c.id, new Date(Date.now() - 5 * 60_000), 120, [trainer.id]);
    const participant = await createUser(stack.api.app, 'participant', { name: 'Dewi Anggraini' });
    await enrolDirect(stack.api.app, c.id, participant.id);
    return { trainer, session, participant };
  }

  async function page(
    options: { viewport?: { width: number; height: number }; init?: () => void } = {},
  ): Promise<Page> {
    const context = await stack.newContext({ viewport: options.viewport });
    contexts.push(context);
    if (options.init) await context.addInitScript(options.init);
    return context.newPage();
  }

  async function trainerLive(
    trainer: { email: string },
    sessionId: string,
    viewport?: { width: number; height: number },
  ): Promise<Page> {
    const host = await page({ viewport });
    host.on('dialog', (d) => void d.accept());
    await signIn(host, stack.api.url, trainer.email);
    await host.getByRole('heading', { name: 'Kelas yang saya ajar' }).waitFor();
    await host.goto(`${stack.api.url}/#/sesi/${sessionId}`);
    await host.getByTestId('enter-room').click();
    await host.locator('[data-testid="toggle-cam"][data-sending="true"]').waitFor();
    return host;
  }

  async function participantIn(participant: { email: string }, sessionId: string, init?: () => void): Promise<Page> {
    const phone = await page({ viewport: PHONE, init });
    await signIn(phone, stack.api.url, participant.email);
    await phone.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    await phone.goto(`${stack.api.url}/#/sesi/${sessionId}`);
    await phone.locator('.live[data-status="live"]').waitFor();
    return phone;
  }

  it('fetches the room code on "Kelas saya", says "Mengukur…" until it has data, then reports what the receiver measured', async () => {
    const { trainer, session, participant } = await course();
    await trainerLive(trainer, session.id);
    const phone = await page({ viewport: PHONE });
    const roomCode: string[] = [];
    phone.on('request', (r) => {
      if (/\/assets\/room-[^/]+\.js$/.test(r.url())) roomCode.push(r.url());
    });
    await signIn(phone, stack.api.url, participant.email);
    await phone.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    await until(
      'room code prefetched on Kelas saya',
      async () => roomCode.length,
      (n) => n > 0,
      10_000,
    );
    const fetchedBeforeClick = roomCode.length;

    // Record every state of the quality indicator from the first render of the room.
    await phone.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __qualitySeen: string[] }).__qualitySeen = seen;
      new MutationObserver(() => {
        const q = document.querySelector('[data-testid="quality"]')?.getAttribute('data-quality');
        if (q && seen[seen.length - 1] !== q) seen.push(q);
      }).observe(document.body, {
        childList: true,
        subtree: true,
        attributes: true,
        attributeFilter: ['data-quality'],
      });
    });
    await phone.getByRole('link', { name: 'Masuk kelas' }).click();
    await phone.locator('.live[data-status="live"]').waitFor();
    expect(fetchedBeforeClick).toBeGreaterThan(0);
    await until(
      'video decoded',
      () => frames(phone),
      (n) => n > 0,
    );
    await phone
      .locator('[data-testid="quality"]:not([data-quality="measuring"]):not([data-quality="offline"])')
      .waitFor({ timeout: 20_000 });
    const seen = await phone.evaluate(() => (window as unknown as { __qualitySeen: string[] }).__qualitySeen);
    // Never "Baik" before a measurement: offline (connecting) and/or measuring come first.
    expect(seen.indexOf('measuring')).toBeGreaterThanOrEqual(0);
    expect(seen.indexOf('measuring')).toBeLessThan(
      seen.findIndex((q) => q === 'good' || q === 'fair' || q === 'poor' || q === 'bad'),
    );

    const report = await until(
      'receiver measurements reported',
      () => phone.evaluate(() => (window as unknown as { __balaiLive: LiveHooks }).__balaiLive.lastNetworkReport()),
      (r) => !!r && Number(r.framesPerSecond) > 0,
    );
    expect(report).toEqual(
      expect.objectContaining({
        quality: expect.any(String),
        lossPercent: expect.any(Number),
        jitterMs: expect.any(Number),
        freezesPerMinute: expect.any(Number),
      }),
    );
    process.stdout.write(`receiver report on loopback: ${JSON.stringify(report)}\n`);
  });

  it('lays the audio-only offer and the audio-only state over the stage at 360 px without pushing it down', async () => {
    const { trainer, session, participant } = await course();
    await trainerLive(trainer, session.id);
    const phone = await participantIn(participant, session.id);
    await until(
      'video decoded',
      () => frames(phone),
      (n) => n > 0,
    );
    await phone.locator('.stage video').waitFor();
    const stageBefore = await rect(phone, '.stage');
    const controlsBefore = await rect(phone, '.controls');

    await until('hooks', () => hooks(phone), Boolean);
    await phone.evaluate(() =>
      (window as unknown as { __balaiLive: LiveHooks }).__balaiLive.state.set((s) => ({ ...s, offerAudioOnly: true })),
    );
    const offer = phone.getByTestId('audio-only-offer');
    await offer.waitFor();
    expect(await rect(phone, '.stage')).toEqual(stageBefore);
    expect(await rect(phone, '.controls')).toEqual(controlsBefore);
    const offerBox = await rect(phone, '[data-testid="audio-only-offer"]');
    expect(offerBox.left).toBeGreaterThanOrEqual(0);
    expect(offerBox.right).toBeLessThanOrEqual(PHONE.width);
    expect(offerBox.bottom).toBeLessThanOrEqual(stageBefore.bottom);
    expect(await overflowX(phone)).toBeLessThanOrEqual(0);
    await shot(phone, shots, '01-audio-only-offer-360');

    await offer.getByRole('button', { name: 'Ya, hanya suara' }).click();
    await phone.locator('.stage .placeholder', { hasText: 'Mode hanya suara aktif (hemat kuota)' }).waitFor();
    expect(await rect(phone, '.stage')).toEqual(stageBefore);
    expect(await overflowX(phone)).toBeLessThanOrEqual(0);
    await shot(phone, shots, '02-audio-only-on-360');
  });

  it("puts a trainer's moderation into one menu per participant that fits a 360 px phone", async () => {
    const { trainer, session, participant } = await course();
    const host = await trainerLive(trainer, session.id, PHONE);
    await participantIn(participant, session.id);
    await host.getByRole('tab', { name: /Peserta/ }).click();
    const row = host.locator('li[data-peer="Dewi Anggraini"]');
    await row.waitFor();
    const rowHeight =
      (await rect(host, 'li[data-peer="Dewi Anggraini"]')).bottom -
      (await rect(host, 'li[data-peer="Dewi Anggraini"]')).top;
    expect(rowHeight).toBeLessThan(60); // one line: name and the menu button
    await shot(host, shots, '03-people-menu-closed-360');
    await row.getByRole('button', { name: /Tindakan/ }).click();
    for (const name of ['Undang bicara', 'Matikan mikrofon', 'Matikan kamera', 'Keluarkan']) {
      const box = await row.getByRole('button', { name }).evaluate((el) => el.getBoundingClientRect().right);
      expect(box).toBeLessThanOrEqual(PHONE.width);
    }
    expect(await overflowX(host)).toBeLessThanOrEqual(0);
    await shot(host, shots, '04-people-menu-open-360');
  });

  it('says so when the browser has no WebRTC', async () => {
    const { trainer, session, participant } = await course();
    await trainerLive(trainer, session.id);
    const phone = await participantIn(participant, session.id, () => {
      const w = window as unknown as Record<string, unknown>;
      delete w.RTCPeerConnection;
      delete w.webkitRTCPeerConnection;
    });
    await phone
      .locator('[data-testid="media-problem"][data-problem="unsupported"]')
      .filter({ hasText: 'Browser ini tidak mendukung kelas video langsung.' })
      .waitFor({ timeout: 15_000 });
    await shot(phone, shots, '05-unsupported-browser-360');
  });

  it('says so when ICE never connects, and the retry brings the media', async () => {
    const { trainer, session, participant } = await course();
    await trainerLive(trainer, session.id);
    // A network that lets no media path through: the remote candidates are dropped while __blockIce is set.
    const phone = await participantIn(participant, session.id, () => {
      const w = window as unknown as { __blockIce: boolean };
      w.__blockIce = true;
      const original = RTCPeerConnection.prototype.setRemoteDescription as (
        this: RTCPeerConnection,
        d: RTCSessionDescriptionInit,
      ) => Promise<void>;
      RTCPeerConnection.prototype.setRemoteDescription = function (
        this: RTCPeerConnection,
        desc: RTCSessionDescriptionInit,
      ) {
        if (w.__blockIce && desc?.sdp) desc = { type: desc.type, sdp: desc.sdp.replace(/^a=candidate:.*\r\n/gm, '') };
        return original.call(this, desc);
      } as typeof RTCPeerConnection.prototype.setRemoteDescription;
    });
    const problem = phone.locator('[data-testid="media-problem"][data-problem="ice-failed"]');
    await problem
      .filter({ hasText: 'Video dan suara tidak bisa tersambung dari jaringan ini' })
      .waitFor({ timeout: 20_000 });
    expect(await frames(phone)).toBe(0);
    await shot(phone, shots, '06-ice-failed-360');
    await phone.evaluate(() => ((window as unknown as { __blockIce: boolean }).__blockIce = false));
    await phone.getByTestId('retry-media').click();
    await until(
      'video after the retry',
      () => frames(phone),
      (n) => n > 0,
    );
    await problem.waitFor({ state: 'detached' });
  });

  it('tells a trainer on a page that is not a secure context why camera and microphone cannot work', async () => {
    const { trainer, session } = await course();
    const insecureBrowser = await launchChromium({ args: ['--host-resolver-rules=MAP balai-kelas.test 127.0.0.1'] });
    try {
      const context = await newContext(insecureBrowser, { liveUrl: stack.live.url });
      const host = await context.newPage();
      const origin = stack.api.url.replace('127.0.0.1', 'balai-kelas.test');
      await signIn(host, origin, trainer.email);
      await host.getByRole('heading', { name: 'Kelas yang saya ajar' }).waitFor();
      expect(await host.evaluate(() => window.isSecureContext)).toBe(false);
      await host.goto(`${origin}/#/sesi/${session.id}`);
      await host
        .locator('[data-testid="device-error"][data-kind="insecure"]')
        .filter({ hasText: 'Halaman ini tidak dibuka lewat koneksi aman (https)' })
        .waitFor();
      await shot(host, shots, '07-insecure-context-trainer');
      await host.getByRole('button', { name: 'Masuk tanpa kamera' }).click();
      await host.locator('.live[data-status="live"]').waitFor();
      await context.close();
    } finally {
      await insecureBrowser.close();
    }
  });
});
