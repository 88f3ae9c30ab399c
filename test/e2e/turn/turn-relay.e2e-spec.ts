import type { Browser, Page } from 'playwright-core';
import type { Ack, IceServer, RoomJoinResult } from '@balai/live-contract';
import { BrowserPeer, serveClient, StaticSite } from '../../support/browser-harness';
import { launchChromium } from '../../support/chromium';
import type { ConsumerStats } from '../../support/live-test-client/client';
import type { RunningLive, TestCourse } from '../../support/live-app';
import { RunningCoturn, startCoturn } from './support/coturn';
import { forceRelay, RelayTransport } from './support/relay';

/**
 * TURN proven: Debian's coturn on loopback (shared-secret REST mode, a test
 * certificate for TLS) and the real live service issuing the credentials. A
 * participant's Chromium is forced to relay (iceTransportPolicy 'relay', and
 * only the TURN URI of the transport under test is kept) and must decode the
 * trainer's video and receive its audio, on the consumer's own SSRC, through
 * a relay candidate of that protocol.
 */
jest.setTimeout(180_000);

const TTL_SECONDS = 600;

describe('TURN relay (coturn + live-issued credentials, Chromium forced to relay)', () => {
  let coturn: RunningCoturn;
  let live: RunningLive;
  let site: StaticSite;
  let browser: Browser;
  let course: TestCourse;
  let host: BrowserPeer;

  beforeAll(async () => {
    coturn = await startCoturn();
    // Read by the live service's config module when startLiveApp imports it.
    process.env.TURN_SECRET = coturn.secret;
    process.env.TURN_URLS = [coturn.urls.udp, coturn.urls.tcp, coturn.urls.tls].join(',');
    process.env.TURN_CREDENTIAL_TTL_SECONDS = String(TTL_SECONDS);
    const { startLiveApp } = await import('../../support/live-app');
    live = await startLiveApp();
    site = await serveClient();
    // Trust exactly the test certificate for TURN over TLS, nothing else.
    browser = await launchChromium({ args: [`--ignore-certificate-errors-spki-list=${coturn.spkiSha256}`] });
    course = await live.factory.course();
    host = await BrowserPeer.open(browser, site, 'host');
    await host.connect(live.url, course.trainer.token);
    await host.joinOk(course.sessionId);
    await host.publish(['camera', 'mic']);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await live?.close();
    await coturn?.close();
  });

  async function participantPage(transport: RelayTransport | null): Promise<Page> {
    const context = await browser.newContext();
    await context.addInitScript(forceRelay, transport);
    const page = await context.newPage();
    await page.goto(site.url);
    await page.waitForFunction(() => !!window.liveTest);
    return page;
  }

  it.each<RelayTransport>(['udp', 'tcp', 'tls'])(
    'a participant relayed over TURN/%s decodes the trainer’s video and receives audio',
    async (transport) => {
      const user = await live.factory.participant(course);
      const page = await participantPage(transport);
      const before = Math.floor(Date.now() / 1000);
      const ack: Ack<RoomJoinResult> = await page.evaluate(
        ([url, token, id]) => window.liveTest.connectAndJoin(url, token, id),
        [live.url, user.token, course.sessionId] as const,
      );
      if (!ack.ok) throw new Error(`join refused: ${ack.error.code}`);

      // The credential is coturn's REST scheme, for this user, short-lived.
      const turn = ack.data.iceServers.find((s) => ([] as string[]).concat(s.urls).some((u) => u.startsWith('turn')));
      expect(turn?.urls).toEqual([coturn.urls.udp, coturn.urls.tcp, coturn.urls.tls]);
      const [expiry, userId] = (turn?.username ?? '').split(':');
      expect(userId).toBe(user.id);
      expect(Number(expiry)).toBeGreaterThanOrEqual(before + TTL_SECONDS);
      expect(Number(expiry)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + TTL_SECONDS);

      // Media arrives: frames decoded and audio packets on the consumers' own SSRCs (not the probator).
      const deadline = Date.now() + 30_000;
      let stats: ConsumerStats[] = [];
      const receiving = (s: ConsumerStats[]) =>
        s.some((c) => c.kind === 'video' && c.peerId === course.trainer.id && c.framesDecoded > 5) &&
        s.some((c) => c.kind === 'audio' && c.peerId === course.trainer.id && c.packetsReceived > 10);
      while (Date.now() < deadline && !receiving(stats)) {
        stats = await page.evaluate(() => window.liveTest.stats());
        await page.waitForTimeout(250);
      }
      expect(receiving(stats)).toBe(true);
      const video = stats.find((c) => c.kind === 'video')!;
      expect(video.ssrc).not.toBe(1234);

      // ...through a relay candidate of the protocol under test.
      const pairs = await page.evaluate(() => window.__relay.selected());
      expect(pairs.length).toBeGreaterThan(0);
      for (const pair of pairs) {
        expect(pair.candidateType).toBe('relay');
        expect(pair.relayProtocol).toBe(transport);
      }
      // coturn allocated a relay for this user's credential (the transport's own, issued a moment after
      // the join's); its log is written in batches.
      const allocated = new RegExp(`user <\\d+:${user.id}>: incoming packet ALLOCATE processed, success`);
      for (let i = 0; i < 50 && !allocated.test(coturn.log()); i += 1) await page.waitForTimeout(200);
      expect(coturn.log()).toMatch(allocated);
      await page.context().close();
    },
  );

  it('coturn refuses an expired or forged credential (no relay candidate) and accepts a fresh one', async () => {
    const user = await live.factory.participant(course);
    const page = await participantPage(null);
    const ack: Ack<RoomJoinResult> = await page.evaluate(
      ([url, token, id]) => window.liveTest.connectAndJoin(url, token, id),
      [live.url, user.token, course.sessionId] as const,
    );
    if (!ack.ok) throw new Error(`join refused: ${ack.error.code}`);
    const fresh = ack.data.iceServers.find((s) => !!s.username)!;
    const udpOnly = (server: IceServer): IceServer[] => [{ ...server, urls: [coturn.urls.udp] }];

    expect(await page.evaluate((s) => window.__relay.gather(s), udpOnly(fresh))).toContain('relay');

    const { turnRestCredential } = await import('../../../apps/live/src/turn/turn-credentials');
    const expired = turnRestCredential(coturn.secret, user.id, TTL_SECONDS, Date.now() - (TTL_SECONDS + 60) * 1000);
    expect(
      await page.evaluate(
        (s) => window.__relay.gather(s),
        udpOnly({ ...fresh, username: expired.username, credential: expired.credential }),
      ),
    ).toEqual([]);

    const forged = turnRestCredential('not-the-coturn-secret-at-all', user.id, TTL_SECONDS, Date.now());
    expect(
      await page.evaluate(
        (s) => window.__relay.gather(s),
        udpOnly({ ...fresh, username: forged.username, credential: forged.credential }),
      ),
    ).toEqual([]);
    await page.context().close();
  });
});
