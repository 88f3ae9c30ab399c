/**
 * Cascaded routers with real Chromium (issue 14): two mediasoup workers and a
 * budget of 4 consumers per router (the host's receive transport reserves 2,
 * the first viewer's camera and microphone take 2), so the first viewer
 * receives on the origin and the second on a fan-out router fed through
 * pipeToRouter. Both
 * decode the host's simulcast camera and receive its microphone (WebRTC
 * stats, matched by SSRC); a small tile moves the fan-out viewer to the
 * lowest layer; then the fan-out's worker is killed (SIGKILL): only that
 * viewer is told to redo its media, and it decodes again, while the origin's
 * viewer and the host carry on untouched.
 */
process.env.MEDIASOUP_NUM_WORKERS = '2';
process.env.LIVE_ROUTER_CONSUMER_BUDGET = '4';

import type { Browser } from 'playwright-core';
import { launchChromium } from '../../support/chromium';
import { RoomRegistry } from '../../../apps/live/src/rooms/room-registry.service';
import { BrowserPeer, receivesFrom, serveClient, StaticSite } from '../../support/browser-harness';
import { eventually } from '../../support/wait';
import { RunningLive, startLiveApp, TestCourse } from '../../support/live-app';

jest.setTimeout(120_000);

describe('cascaded routers in the browser', () => {
  let live: RunningLive;
  let site: StaticSite;
  let browser: Browser;
  const peers: BrowserPeer[] = [];

  beforeAll(async () => {
    live = await startLiveApp();
    [site, browser] = await Promise.all([serveClient(), launchChromium()]);
  });

  afterAll(async () => {
    for (const peer of peers) await peer.close();
    await browser?.close();
    await site?.close();
    await live?.close();
  });

  it('a viewer on a fan-out router decodes the host, and only it redoes its media when that worker dies', async () => {
    const course: TestCourse = await live.factory.course();
    for (const peer of peers.splice(0)) await peer.close();
    const host = await BrowserPeer.open(browser, site, 'host');
    const onOrigin = await BrowserPeer.open(browser, site, 'origin viewer');
    const onFanout = await BrowserPeer.open(browser, site, 'fan-out viewer');
    peers.push(host, onOrigin, onFanout);
    await host.connect(live.url, course.trainer.token);
    await host.joinOk(course.sessionId);
    await host.publish(['camera', 'mic']);
    for (const viewer of [onOrigin, onFanout]) {
      const user = await live.factory.participant(course);
      await viewer.connect(live.url, user.token);
      await viewer.joinOk(course.sessionId);
      await viewer.waitForStats(receivesFrom(course.trainer.id), 20_000);
    }

    const registry = live.app.get(RoomRegistry);
    const cascade = registry.get(course.sessionId)!.cascade;
    const [fanout] = cascade.view().fanouts;
    expect(fanout).toBeDefined();
    expect(fanout.receivers).toBe(1);
    expect(fanout.pipes).toHaveLength(2);
    expect(fanout.workerPid).not.toBe(cascade.view().origin.workerPid);

    // A 320x180 tile: the layer policy moves the fan-out consumer to the 320 px layer.
    const video = (await onFanout.stats()).find((s) => s.kind === 'video')!;
    expect(
      await onFanout.request('media:report-viewport', { consumerId: video.consumerId, width: 320, height: 180 }),
    ).toMatchObject({ ok: true, data: { spatialLayer: 0 } });
    await onFanout.waitForStats(
      (stats) => stats.some((s) => s.consumerId === video.consumerId && s.frameWidth > 0 && s.frameWidth <= 320),
      20_000,
    );

    const before = new Set((await onFanout.stats()).map((s) => s.consumerId));
    process.kill(fanout.workerPid, 'SIGKILL');
    await eventually(
      () => onFanout.events('media:restart'),
      (events) => events.length === 1,
      10_000,
    );
    await onFanout.waitForStats(
      (stats) => receivesFrom(course.trainer.id)(stats.filter((s) => !before.has(s.consumerId))),
      30_000,
    );
    expect(await onOrigin.events('media:restart')).toEqual([]);
    expect(await host.events('media:restart')).toEqual([]);
    expect(await onFanout.events('producer:closed')).toEqual([]);
    expect(await onOrigin.events('producer:closed')).toEqual([]);
    // The origin's viewer still decodes (its frames keep coming).
    const decoded = (await onOrigin.stats()).find((s) => s.kind === 'video')!.framesDecoded;
    await onOrigin.waitForStats((stats) => stats.find((s) => s.kind === 'video')!.framesDecoded > decoded + 10, 10_000);
  });
});
