/**
 * bench:field (npm run bench:field, as root): a participant on a weak mobile
 * link, measured end to end through the real stack.
 *
 * A trainer publishes camera and microphone (fake devices) from Chromium on
 * this host; a participant's Chromium at 360 px runs inside a network
 * namespace behind a shaped veth pair (link.ts: tbf + ifb, delay and loss from
 * netem-queue.c through NFQUEUE). For each profile a new participant signs in
 * over the link with a cold cache, stays on "Kelas saya" 3 s and until the
 * network is quiet, clicks "Masuk kelas", and stays --seconds. Printed per profile:
 * click -> first audio, how much of that was spent downloading the room code,
 * the video received (resolution, freezes, fps, resolution switches), audio
 * concealment, whether and when audio-only was offered, and then, in audio-only
 * mode, the phone's received bitrate at IP level (interface bytes minus the
 * Ethernet header, over 15 s).
 *
 * Options: --seconds 70 (time in the room per profile), --profiles 0,1,2,
 * --cpu-hogs N (N busy loops on the host during each profile: a loaded machine),
 * --no-build (reuse a web build given by --web-dir), --timeout-minutes 20.
 * Everything it creates (namespace, delay programs, browsers, database, build
 * directory) is removed on exit, on error, on Ctrl-C and on the time limit.
 */
import 'reflect-metadata';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildNetemQueue, canManageNamespaces, PROFILES, Profile, WeakLink } from './link';
import { installProbe, MediaSample, ProbeState } from './probe';
import { buildWeb, roomCodeFiles, ROOT, Stack, startStack } from './stack';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i !== -1 && argv[i + 1] ? argv[i + 1] : fallback;
};
const SECONDS = Math.max(20, Number(option('seconds', '70')));
const PROFILE_INDEXES = option('profiles', '0,1,2').split(',').map(Number);
const TIMEOUT_MINUTES = Number(option('timeout-minutes', '20'));
const NO_BUILD = argv.includes('--no-build');
/** Busy-loop processes run on the host during each profile (a loaded machine: is audio-only offered wrongly?). */
const CPU_HOGS = Math.max(0, Number(option('cpu-hogs', '0')));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PHONE = { width: 360, height: 740 };
const DWELL_MS = 3000;
const AUDIO_ONLY_SETTLE_MS = 6000;
const AUDIO_ONLY_MEASURE_MS = 15_000;

interface Result {
  profile: Profile;
  firstAudioS: number | null;
  roomCodeS: number | null;
  roomCodeBytes: number;
  roomCodePrefetched: boolean;
  video: string;
  concealmentPct: number | null;
  offeredAfterS: number | null;
  audioOnlyKbit: number | null;
  notes: string[];
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

function requireTools(): void {
  if (!canManageNamespaces())
    throw new Error('bench:field needs root (network namespaces, tc, iptables): run it as root or with sudo');
  for (const tool of ['ip', 'tc', 'iptables', 'cc']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      throw new Error(
        `${tool} is missing (apt-get install -y iproute2 iptables build-essential libnetfilter-queue-dev)`,
      );
    }
  }
}

async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/#/masuk`, { timeout: 120_000 });
  await page.getByLabel('Email').fill(email, { timeout: 120_000 });
  await page.getByLabel('Kata sandi', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
}

function fmt(seconds: number | null): string {
  return seconds === null ? 'n/a' : `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
}

/** Resolution, freezes, frame rate and resolution switches over the samples since the first frame. */
function describeVideo(samples: MediaSample[]): string {
  const video = samples.filter((s) => s.video && s.video.framesDecoded > 0);
  if (video.length < 2) return 'no video decoded';
  const first = video[0].video!;
  const last = video[video.length - 1].video!;
  const seconds = (video[video.length - 1].t - video[0].t) / 1000;
  const weights = new Map<string, number>();
  let switches = 0;
  for (let i = 1; i < video.length; i += 1) {
    const prev = video[i - 1].video!;
    const cur = video[i].video!;
    const res = `${cur.frameWidth}x${cur.frameHeight}`;
    weights.set(res, (weights.get(res) ?? 0) + Math.max(0, cur.framesDecoded - prev.framesDecoded));
    if (cur.frameWidth && prev.frameWidth && cur.frameWidth !== prev.frameWidth) switches += 1;
  }
  const total = [...weights.values()].reduce((a, b) => a + b, 0) || 1;
  const [mode, modeFrames] = [...weights.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['?', 0];
  const share = modeFrames / total;
  const freezes = last.freezeCount - first.freezeCount;
  const fps = (last.framesDecoded - first.framesDecoded) / seconds;
  return `${share < 0.9 ? `mostly ${mode} (${Math.round(share * 100)}%)` : mode}, ${freezes} freezes in ${Math.round(seconds)} s, ${fps.toFixed(0)} fps, ${switches} resolution switches`;
}

function concealment(samples: MediaSample[]): number | null {
  const audio = samples.filter((s) => s.audio && s.audio.totalSamplesReceived > 0);
  if (audio.length < 2) return null;
  const a = audio[0].audio!;
  const b = audio[audio.length - 1].audio!;
  const total = b.totalSamplesReceived - a.totalSamplesReceived;
  return total > 0 ? (100 * (b.concealedSamples - a.concealedSamples)) / total : null;
}

/** Time after the click spent on the room code: from the click (or its start) to the last byte. */
function roomCodeAfterClick(
  state: ProbeState,
  files: string[],
): { seconds: number | null; bytes: number; prefetched: boolean } {
  const entries = state.resources.filter((r) => files.some((f) => r.name.endsWith(`/${f}`)));
  if (!entries.length || state.clickAt === null) return { seconds: null, bytes: 0, prefetched: false };
  const bytes = entries.reduce((n, e) => n + e.transferSize, 0);
  const end = Math.max(...entries.map((e) => e.responseEnd));
  const start = Math.max(state.clickAt, Math.min(...entries.map((e) => e.startTime)));
  return { seconds: Math.max(0, end - start) / 1000, bytes, prefetched: end <= state.clickAt };
}

class FieldBench {
  private link!: WeakLink;
  private stack: Stack | undefined;
  private hostBrowser: Browser | undefined;
  private phoneBrowser: Browser | undefined;
  private workDir = mkdtempSync(join(tmpdir(), 'balai-field-'));
  private cleaning: Promise<void> | undefined;
  private hogs: ChildProcess[] = [];

  private startHogs(): void {
    for (let i = 0; i < CPU_HOGS; i += 1)
      this.hogs.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    if (CPU_HOGS) log(`  ${CPU_HOGS} busy-loop processes load the machine during this profile`);
  }

  private stopHogs(): void {
    for (const hog of this.hogs) hog.kill('SIGKILL');
    this.hogs = [];
  }

  async run(): Promise<Result[]> {
    requireTools();
    const stale = WeakLink.removeStale();
    if (stale.length) log(`removed stale namespaces of earlier runs: ${stale.join(', ')}`);
    const netemQueue = buildNetemQueue(
      join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? tmpdir(), '.cache'), 'balai', 'field'),
    );
    this.link = new WeakLink(netemQueue);
    this.link.up();

    const webDir = NO_BUILD ? option('web-dir', join(ROOT, 'apps/web/dist')) : join(this.workDir, 'web');
    if (!NO_BUILD) {
      log('building the web client (vite, private output directory)');
      buildWeb(webDir);
    }
    const roomFiles = roomCodeFiles(webDir);
    this.stack = await startStack(this.link.hostIp, webDir);
    const origin = this.stack.apiUrl;
    const { launchChromium } = await import('../../test/support/chromium');
    const { createCourse, createSession, createUser, enrolDirect, TEST_PASSWORD } =
      await import('../../test/support/factories');
    // The stack listens on the veth address, not on localhost: let both browsers treat it as secure (camera, microphone).
    const args = [`--unsafely-treat-insecure-origin-as-secure=${origin}`, '--autoplay-policy=no-user-gesture-required'];

    const api = this.stack.api;
    const trainer = await createUser(api, 'trainer', { name: 'Pak Joko Pelatih' });
    const course = await createCourse(api, {
      title: 'Pemasaran Digital UMKM',
      status: 'ongoing',
      trainerIds: [trainer.id],
    });
    const session = await createSession(api, course.id, new Date(Date.now() - 5 * 60_000), 240, [trainer.id]);

    log(
      `stack: api+web ${origin}, live ${this.stack.liveUrl}; phone namespace ${this.link.ns} (${this.link.phoneIp}); room code: ${roomFiles.join(', ') || 'not found in the manifest'}`,
    );
    // The browsers are closed by our clean-up, which must also remove the namespace: Playwright must not exit first.
    const signals = { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false };
    this.hostBrowser = await launchChromium({ args, ...signals });
    const hostContext = await this.hostBrowser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'id-ID',
      timezoneId: 'Asia/Jakarta',
      permissions: ['camera', 'microphone'],
    });
    const host = await hostContext.newPage();
    await signIn(host, origin, trainer.email, TEST_PASSWORD);
    await host.getByRole('heading', { name: 'Kelas yang saya ajar' }).waitFor({ timeout: 30_000 });
    await host.goto(`${origin}/#/sesi/${session.id}`);
    await host.getByTestId('enter-room').click({ timeout: 30_000 });
    await host.locator('.live[data-status="live"]').waitFor({ timeout: 30_000 });
    await sleep(3000); // camera and microphone published
    log('trainer in the room, publishing camera (simulcast) and microphone from loopback');

    this.phoneBrowser = await launchChromium({
      executablePath: this.link.chromiumWrapper(this.workDir, CHROMIUM),
      args,
      ...signals,
    });
    const results: Result[] = [];
    for (const index of PROFILE_INDEXES) {
      const profile = PROFILES[index];
      if (!profile) throw new Error(`no profile ${index}`);
      const participant = await createUser(api, 'participant', { name: `Peserta ${index + 1}` });
      await enrolDirect(api, course.id, participant.id);
      await this.link.shape(profile);
      log(`\n[${profile.name}] load average ${load()}`);
      const context = await this.phoneBrowser.newContext({
        viewport: PHONE,
        isMobile: true,
        hasTouch: true,
        locale: 'id-ID',
        timezoneId: 'Asia/Jakarta',
      });
      this.startHogs();
      try {
        results.push(await this.measure(context, profile, origin, participant.email, TEST_PASSWORD, roomFiles));
      } finally {
        this.stopHogs();
        await context.close().catch(() => undefined);
      }
      const r = results[results.length - 1];
      log(
        `  first audio ${fmt(r.firstAudioS)} (room code after the click ${fmt(r.roomCodeS)}, ${Math.round(r.roomCodeBytes / 1024)} KB), video ${r.video}`,
      );
      log(
        `  concealment ${r.concealmentPct?.toFixed(1) ?? 'n/a'}%, audio-only offered ${r.offeredAfterS === null ? 'no' : `after ${r.offeredAfterS.toFixed(0)} s`}, audio-only ${r.audioOnlyKbit?.toFixed(0) ?? 'n/a'} kbit/s at IP level`,
      );
      for (const note of r.notes) log(`  note: ${note}`);
    }
    await this.link.unshape();
    await hostContext.close();
    return results;
  }

  private async measure(
    context: BrowserContext,
    profile: Profile,
    origin: string,
    email: string,
    password: string,
    roomFiles: string[],
  ): Promise<Result> {
    const notes: string[] = [];
    await context.addInitScript(installProbe);
    const page = await context.newPage();
    page.setDefaultTimeout(120_000);
    const t0 = Date.now();
    await signIn(page, origin, email, password);
    await page.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    notes.push(`sign-in to "Kelas saya" over the link took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const join = page.locator('a, button').filter({ hasText: 'Masuk kelas' }).first();
    await join.waitFor();
    // A person reads the list for a moment (3 s at least, until the network is quiet); whatever the app
    // fetches meanwhile is fair game.
    await sleep(DWELL_MS);
    await page
      .waitForLoadState('networkidle', { timeout: 20_000 })
      .catch(() => notes.push('network not idle on "Kelas saya" after 20 s'));
    await join.click();
    const clickedAt = Date.now();
    const probe = () => page.evaluate(() => window.__field!);
    while (Date.now() - clickedAt < SECONDS * 1000) await sleep(1000);
    let state = await probe();
    const offered = state.offerAt !== null;

    // Audio-only: accept the offer if there is one, else switch by hand; then count bytes on the wire.
    let audioOnlyKbit: number | null = null;
    try {
      if (offered) await page.getByTestId('audio-only-offer').getByRole('button').first().click({ timeout: 10_000 });
      else await page.getByTestId('audio-only').click({ timeout: 10_000 });
      await sleep(AUDIO_ONLY_SETTLE_MS);
      const a = this.link.received();
      await sleep(AUDIO_ONLY_MEASURE_MS);
      const b = this.link.received();
      const ipBytes = b.bytes - a.bytes - 14 * (b.packets - a.packets);
      audioOnlyKbit = (ipBytes * 8) / AUDIO_ONLY_MEASURE_MS;
    } catch (error) {
      notes.push(`audio-only not measured: ${(error as Error).message.split('\n')[0]}`);
    }
    state = await probe();
    const click = state.clickAt;
    if (click === null) notes.push('the click on "Masuk kelas" was not seen');
    const end = click === null ? Infinity : click + SECONDS * 1000;
    const inRoom = state.samples.filter((s) => s.t <= end);
    const roomCode = roomCodeAfterClick(state, roomFiles);
    if (click !== null && state.offerAt !== null) {
      // The receiver's reports just before the offer appeared: what it saw.
      const before = state.reports.filter((r) => r.t <= state.offerAt! && r.t >= state.offerAt! - 8000);
      notes.push(
        `reports before the offer: ${before.map((r) => `+${Math.round((r.t - click) / 1000)} s ${r.payload}`).join(' ')}`,
      );
    }
    if (click !== null) {
      // When the video froze (seconds after the click): at the start (bandwidth estimate) or all along?
      const at: string[] = [];
      const video = inRoom.filter((x) => x.video);
      for (let i = 1; i < video.length; i += 1) {
        const [prev, cur] = [video[i - 1]!.video!, video[i]!.video!];
        if (cur.freezeCount <= prev.freezeCount) continue;
        // Whether it waited for a key frame, and the video buffer the receiver aimed at just then.
        const emitted = cur.jitterBufferEmittedCount - prev.jitterBufferEmittedCount;
        const target =
          emitted > 0 ? ((cur.jitterBufferTargetDelay - prev.jitterBufferTargetDelay) / emitted) * 1000 : 0;
        const plis = cur.pliCount - prev.pliCount;
        at.push(
          `+${Math.round((video[i]!.t - click) / 1000)} s (${cur.frameWidth} px, ${Math.round(cur.totalFreezesDuration * 1000 - prev.totalFreezesDuration * 1000)} ms, ` +
            `${plis} PLI, ${cur.keyFramesDecoded - prev.keyFramesDecoded} key frames, buffer ${Math.round(target)} ms, asked ${cur.appTargetMs ?? 'default'})`,
        );
      }
      if (at.length) notes.push(`freezes at ${at.join(', ')}`);
      // The video delay the app asked for, where it changed (quality-monitor.ts startingVideoDelayMs and after).
      const asked: string[] = [];
      for (let i = 0; i < video.length; i += 1) {
        const now = video[i]!.video!.appTargetMs;
        if (i === 0 || now !== video[i - 1]!.video!.appTargetMs)
          asked.push(`+${((video[i]!.t - click) / 1000).toFixed(1)} s ${now ?? 'default'}`);
      }
      notes.push(`video delay asked: ${asked.join(', ')}`);
      const rtts = inRoom
        .map((x) => x.rttMs)
        .filter((x): x is number => typeof x === 'number')
        .sort((a, b) => a - b);
      if (rtts.length)
        notes.push(
          `media round trip: median ${Math.round(rtts[rtts.length >> 1]!)} ms, max ${Math.round(rtts[rtts.length - 1]!)} ms`,
        );
    }
    if (click !== null) {
      // Where the time to first audio went (ms after the click; negative: done on "Kelas saya" already).
      const marks: Array<[string, number]> = Object.entries(state.steps);
      const config = state.resources.find((r) => r.name.includes('/api/live/config') && r.startTime >= click);
      if (config) marks.push(['live-config-fetched', config.responseEnd]);
      if (state.firstAudioAt !== null) marks.push(['first-audio', state.firstAudioAt]);
      if (state.firstVideoAt !== null) marks.push(['first-video', state.firstVideoAt]);
      marks.sort((a, b) => a[1] - b[1]);
      const fetched = state.resources
        .filter((r) => r.responseEnd >= click && r.startTime <= click + 5000)
        .map(
          (r) =>
            `${r.name.replace(/^https?:\/\/[^/]+/, '').slice(0, 40)} ${Math.round(r.transferSize / 1024)} KB ${Math.round(r.startTime - click)}-${Math.round(r.responseEnd - click)}`,
        );
      if (fetched.length) notes.push(`fetched in the 5 s after the click: ${fetched.join('; ')}`);
      notes.push(
        `join steps (ms after the click): ${marks.map(([k, t]) => `${k} ${Math.round(t - click)}`).join(', ')}`,
      );
    }
    return {
      profile,
      firstAudioS: click !== null && state.firstAudioAt !== null ? (state.firstAudioAt - click) / 1000 : null,
      roomCodeS: roomCode.seconds,
      roomCodeBytes: roomCode.bytes,
      roomCodePrefetched: roomCode.prefetched,
      video: describeVideo(inRoom.filter((s) => state.firstVideoAt !== null && s.t >= state.firstVideoAt)),
      concealmentPct: concealment(inRoom),
      offeredAfterS:
        click !== null && state.offerAt !== null && state.offerAt <= end ? (state.offerAt - click) / 1000 : null,
      audioOnlyKbit,
      notes,
    };
  }

  /** Idempotent: a signal and the main path may both ask; both wait for the same clean-up. */
  cleanup(): Promise<void> {
    this.cleaning ??= this.doCleanup();
    return this.cleaning;
  }

  private async doCleanup(): Promise<void> {
    this.stopHogs();
    await this.phoneBrowser?.close().catch(() => undefined);
    await this.hostBrowser?.close().catch(() => undefined);
    await this.link
      ?.down()
      .catch((error: unknown) => process.stderr.write(`namespace cleanup failed: ${String(error)}\n`));
    await this.stack?.close().catch(() => undefined);
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

function table(results: Result[]): string {
  const row = (label: string, cell: (r: Result) => string) => `| ${label} | ${results.map(cell).join(' | ')} |`;
  return [
    `| | ${results.map((r) => r.profile.name).join(' | ')} |`,
    `|---|${results.map(() => '---').join('|')}|`,
    row('click -> first audio, first join', (r) => fmt(r.firstAudioS)),
    row('of which downloading the room code', (r) =>
      r.roomCodeS === null
        ? 'n/a'
        : r.roomCodePrefetched
          ? '- (fetched before the click)'
          : r.roomCodeS < 0.05
            ? '-'
            : fmt(r.roomCodeS),
    ),
    row('video received', (r) => r.video),
    row('audio concealment', (r) => (r.concealmentPct === null ? 'n/a' : `${r.concealmentPct.toFixed(1)}%`)),
    row('audio-only offered by itself', (r) =>
      r.offeredAfterS === null ? 'no' : `yes, ${r.offeredAfterS.toFixed(0)} s after the click`,
    ),
    row('audio-only on the wire (IP level)', (r) =>
      r.audioOnlyKbit === null ? 'n/a' : `${r.audioOnlyKbit.toFixed(0)} kbit/s`,
    ),
  ].join('\n');
}

async function main(): Promise<void> {
  const bench = new FieldBench();
  let stopping = false;
  const stop = (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`bench:field: ${why}; cleaning up\n`);
    void bench.cleanup().finally(() => process.exit(code));
  };
  // `on`, not `once`: Playwright exits the process on SIGINT when its own listener is the only one left.
  process.on('SIGINT', () => stop('interrupted', 130));
  process.on('SIGTERM', () => stop('terminated', 143));
  const limit = setTimeout(() => stop(`time limit of ${TIMEOUT_MINUTES} min reached`, 1), TIMEOUT_MINUTES * 60_000);
  const startLoad = load();
  try {
    log(`bench:field: ${PROFILE_INDEXES.length} profiles, ${SECONDS} s in the room each; load average ${startLoad}`);
    const results = await bench.run();
    log(
      `\nweak-link table (loss and delay each way: delay = RTT/2; rate each way; load average at start ${startLoad}, at end ${load()}):\n`,
    );
    log(table(results));
  } finally {
    clearTimeout(limit);
    await bench.cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
