/**
 * What an audio-only participant costs on the wire, read from mediasoup's own
 * transport and consumer stats with real Chromium publishing (fake microphone,
 * a continuous tone, so DTX never helps here): the publisher's Opus follows the
 * router's average bitrate cap, and while the viewer is audio-only its receive
 * transport sends under 50 kbit/s at IP level with no bandwidth probing. The
 * figures are printed; the 50 kbit/s bound is the issue's.
 */
import type { Browser } from 'playwright-core';
import type { types } from 'mediasoup';
import { launchChromium } from '../../support/chromium';
import { RoomRegistry } from '../../../apps/live/src/rooms/room-registry.service';
import { BrowserPeer, receivesFrom, serveClient, StaticSite } from '../../support/browser-harness';
import { sleep } from '../../support/wait';
import { RunningLive, startLiveApp, TestCourse } from '../../support/live-app';

const AUDIO_ONLY_LIMIT_BPS = 50_000;
/** IPv4 (20) + UDP (8) header bytes per packet, which mediasoup's byte counters do not include. */
const IP_UDP_BYTES = 28;
const WINDOW_MS = 6000;

jest.setTimeout(120_000);

interface TransportStats {
  bytesSent: number;
  probationBytesSent: number;
  sendBitrate: number;
}

describe('audio-only on the wire', () => {
  let live: RunningLive;
  let site: StaticSite;
  let browser: Browser;
  let course: TestCourse;
  const peers: BrowserPeer[] = [];

  beforeAll(async () => {
    live = await startLiveApp();
    [site, browser] = await Promise.all([serveClient(), launchChromium()]);
    course = await live.factory.course();
  });
  afterAll(async () => {
    for (const peer of peers) await peer.close();
    await browser?.close();
    await site?.close();
    await live?.close();
  });

  it('stays under 50 kbit/s with no probing while the viewer is audio-only', async () => {
    const host = await BrowserPeer.open(browser, site, 'host');
    const viewer = await BrowserPeer.open(browser, site, 'viewer');
    peers.push(host, viewer);
    await host.connect(live.url, course.trainer.token);
    await host.joinOk(course.sessionId);
    await host.publish(['camera', 'mic']);
    const user = await live.factory.participant(course);
    await viewer.connect(live.url, user.token);
    await viewer.joinOk(course.sessionId);
    await viewer.waitForStats(receivesFrom(course.trainer.id), 15_000);
    expect(await viewer.request('media:set-audio-only', { enabled: true })).toMatchObject({ ok: true });
    await sleep(2000); // in-flight video drains, the congestion controller sees the cap

    const room = live.app.get(RoomRegistry).get(course.sessionId)!;
    const peer = room.peers.get(user.id)!;
    const recv = [...peer.transports.values()].find((t) => t.appData.direction === 'recv')!;
    const audio = [...peer.consumers.values()].find((c) => c.consumer.kind === 'audio')!.consumer;
    const mic = room.peers.get(course.trainer.id)!.producerBySource('mic')!;
    // NACK for audio is negotiated with the receiving browser; the stream carries in-band FEC. (DTX is the
    // publisher's encoder following the router's answer; the fake microphone's tone is never silent.)
    expect(audio.rtpParameters.codecs[0].rtcpFeedback).toEqual(
      expect.arrayContaining([{ type: 'nack', parameter: '' }]),
    );
    expect(audio.rtpParameters.codecs[0].parameters).toMatchObject({ useinbandfec: 1 });
    const read = async () => ({
      transport: ((await recv.getStats()) as unknown as TransportStats[])[0],
      // A consumer's stats also list its producer's inbound stream: count only what is sent to the viewer.
      packets: ((await audio.getStats()) as types.RtpStreamSendStats[])
        .filter((s) => s.type === 'outbound-rtp')
        .reduce((n, s) => n + s.packetCount, 0),
      at: Date.now(),
    });
    const first = await read();
    await sleep(WINDOW_MS);
    const last = await read();
    const seconds = (last.at - first.at) / 1000;
    const packetsPerSecond = (last.packets - first.packets) / seconds;
    const transportBps = ((last.transport.bytesSent - first.transport.bytesSent) * 8) / seconds;
    const probingBps = ((last.transport.probationBytesSent - first.transport.probationBytesSent) * 8) / seconds;
    const ipBps = transportBps + packetsPerSecond * IP_UDP_BYTES * 8;
    const micBps = ((await mic.getStats()) as types.RtpStreamRecvStats[])[0]?.bitrate ?? 0;
    process.stdout.write(
      `audio-only viewer: ${(ipBps / 1000).toFixed(1)} kbit/s at IP level (${(transportBps / 1000).toFixed(1)} kbit/s UDP payload, ` +
        `${packetsPerSecond.toFixed(0)} packets/s, probing ${(probingBps / 1000).toFixed(1)} kbit/s); publisher's Opus ${(micBps / 1000).toFixed(1)} kbit/s RTP\n`,
    );
    expect(probingBps).toBeLessThan(1000);
    expect(ipBps).toBeLessThan(AUDIO_ONLY_LIMIT_BPS);
    expect(packetsPerSecond).toBeGreaterThan(20); // the trainer is still heard
  });
});
