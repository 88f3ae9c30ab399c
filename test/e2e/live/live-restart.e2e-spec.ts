/**
 * The live process killed (SIGKILL) and restarted on the same port, with real
 * browsers: the restarted node reclaims the room under its stable default id,
 * the clients reconnect and rejoin by themselves, the host re-publishes, and
 * the participant decodes the host's video again within 10 s of the restart.
 * Then a graceful stop (SIGTERM): clients are told (server:shutdown) and are
 * back with media within 10 s of the next start.
 */
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../support/chromium';
import { BrowserPeer, receivesFrom, serveClient, StaticSite } from '../../support/browser-harness';
import { startAttendanceStub, AttendanceStub } from '../../support/attendance-stub';
import { connectDb, Db } from '../../support/db-factories';
import { freePort } from '../../support/redis-server';
import { LiveProcess, ProcessCourse, seedCourse, seedParticipant } from '../../integration/live/support/live-process';

/** Issue 10: clients back with media within 10 s of the restart. */
const BACK_WITH_MEDIA_MS = 10_000;

jest.setTimeout(180_000);

describe('live process restart with real browsers', () => {
  let node: LiveProcess;
  let stub: AttendanceStub;
  let db: Db;
  let site: StaticSite;
  let browser: Browser;
  let course: ProcessCourse;
  let host: BrowserPeer;
  let viewer: BrowserPeer;

  beforeAll(async () => {
    [stub, db, site, browser] = await Promise.all([
      startAttendanceStub(),
      connectDb(),
      serveClient(),
      launchChromium(),
    ]);
    node = new LiveProcess(await freePort(), {
      API_INTERNAL_URL: stub.url,
      MEDIASOUP_NUM_WORKERS: '1',
      LIVE_NODE_LEASE_MS: '1500',
    });
    await node.start();
    course = await seedCourse(db);
    const participant = await seedParticipant(db, course);
    host = await BrowserPeer.open(browser, site, 'host');
    viewer = await BrowserPeer.open(browser, site, 'viewer');
    await host.connect(node.url, course.trainerToken);
    await host.joinOk(course.sessionId);
    await host.publish(['camera', 'mic']);
    await viewer.connect(node.url, participant.token);
    await viewer.joinOk(course.sessionId);
    await viewer.waitForStats(receivesFrom(course.trainerId), 15_000);
  });

  afterAll(async () => {
    await host?.close();
    await viewer?.close();
    await browser?.close();
    await site?.close();
    await node?.stop('SIGKILL');
    await db?.close();
    await stub?.close();
  });

  async function backWithMedia(): Promise<number> {
    const before = new Set((await viewer.stats()).map((s) => s.consumerId));
    const restartedAt = Date.now();
    await node.start();
    const readyAt = Date.now();
    await viewer.waitForStats(
      (stats) => receivesFrom(course.trainerId)(stats.filter((s) => !before.has(s.consumerId))),
      BACK_WITH_MEDIA_MS * 3,
    );
    const backMs = Date.now() - readyAt;
    process.stdout.write(`  (process took ${readyAt - restartedAt} ms to listen)\n`);
    return backMs;
  }

  it('SIGKILL: back with media within 10 s of the restart', async () => {
    await node.stop('SIGKILL');
    const backMs = await backWithMedia();
    process.stdout.write(
      `live SIGKILL with browsers: participant decoding the host again ${backMs} ms after the restart\n`,
    );
    expect(backMs).toBeLessThan(BACK_WITH_MEDIA_MS);
    expect(await viewer.connected()).toBe(true);
  });

  it('SIGTERM: clients are told, and are back with media within 10 s of the restart', async () => {
    await node.stop('SIGTERM');
    expect(await viewer.events('server:shutdown')).toHaveLength(1);
    expect(await host.events('server:shutdown')).toHaveLength(1);
    const backMs = await backWithMedia();
    process.stdout.write(
      `live SIGTERM with browsers: participant decoding the host again ${backMs} ms after the restart\n`,
    );
    expect(backMs).toBeLessThan(BACK_WITH_MEDIA_MS);
  });
});
