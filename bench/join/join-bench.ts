/**
 * Join-time bench (npm run bench:join): the real live app (production wiring,
 * Redis adapter, one mediasoup worker, MongoDB-protocol server) on loopback, a
 * host in headless Chromium publishing camera (simulcast) + mic, and viewers
 * joining one at a time, each in a fresh browser context. Measures, per join,
 * the time from socket creation to the first decoded video frame (getStats on
 * the consumer's own SSRC), and the steps in between; prints median and p95.
 *
 * Options: --joins 12 (at least 10)
 */
import 'reflect-metadata';
import type { Browser } from 'playwright-core';
import { randomBytes } from 'node:crypto';

const argv = process.argv.slice(2);
const joinsIndex = argv.indexOf('--joins');
const JOINS = Math.max(10, joinsIndex !== -1 ? Number(argv[joinsIndex + 1]) : 12);

Object.assign(process.env, {
  NODE_ENV: 'development',
  LOG_LEVEL: 'silent',
  MEDIASOUP_NUM_WORKERS: '1',
  MEDIASOUP_LOG_LEVEL: 'none',
  REDIS_PREFIX: `bench_join_${process.pid}`,
  MONGODB_URI: `mongodb://127.0.0.1:27027/balai_bench_join_${randomBytes(3).toString('hex')}`,
});

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

async function main(): Promise<void> {
  const { startLiveApp } = await import('../../test/support/live-app');
  const { launchChromium } = await import('../../test/support/chromium');
  const { BrowserPeer, serveClient } = await import('../../test/support/browser-harness');
  const { getConnectionToken } = await import('@nestjs/mongoose');

  const live = await startLiveApp();
  const site = await serveClient();
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const course = await live.factory.course();
    const host = await BrowserPeer.open(browser, site, 'host');
    await host.connect(live.url, course.trainer.token);
    await host.joinOk(course.sessionId);
    await host.publish(['camera', 'mic']);

    const totals: number[] = [];
    const steps: Record<string, number[]> = {};
    process.stdout.write(`join bench: ${JOINS} joins, each in a new Chromium context, loopback, 1 mediasoup worker\n`);
    for (let i = 0; i < JOINS; i += 1) {
      const user = await live.factory.participant(course);
      const viewer = await BrowserPeer.open(browser, site, `viewer-${i}`);
      const joined = await viewer.connectAndJoin(live.url, user.token, course.sessionId);
      if (!joined.ok) throw new Error(`join refused: ${joined.error.code}`);
      const total = await viewer.firstFrame(15_000);
      const marks = await viewer.marks();
      totals.push(total);
      for (const [name, ms] of Object.entries(marks)) (steps[name] ??= []).push(ms);
      process.stdout.write(
        `  join ${String(i + 1).padStart(2)}: first decoded frame ${total.toFixed(0)} ms after socket creation\n`,
      );
      await viewer.page.evaluate(() => window.liveTest.close());
      await viewer.close();
    }
    const order = [
      'connected',
      'joined',
      'device-loaded',
      'recv-transport',
      'consumer-created',
      'recv-connected',
      'consumer-resumed',
      'first-frame',
    ];
    process.stdout.write('step medians (ms since socket creation):\n');
    for (const name of order) {
      if (steps[name]) process.stdout.write(`  ${name.padEnd(17)} ${percentile(steps[name], 50).toFixed(0)}\n`);
    }
    process.stdout.write(
      `join -> first decoded video frame: median ${percentile(totals, 50).toFixed(0)} ms, p95 ${percentile(totals, 95).toFixed(0)} ms, ` +
        `min ${Math.min(...totals).toFixed(0)} ms, max ${Math.max(...totals).toFixed(0)} ms (n=${totals.length})\n`,
    );
    await host.close();
    await live.app
      .get<{ dropDatabase(): Promise<unknown> }>(getConnectionToken())
      .dropDatabase()
      .catch(() => undefined);
  } finally {
    await browser?.close();
    await site.close();
    await live.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
