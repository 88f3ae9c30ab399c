/**
 * What the router offers publishers and receivers (issue 10, a participant on
 * a weak link): Opus with in-band FEC and DTX, NACK for audio, and the average
 * bitrate cap that keeps an audio-only participant under 50 kbit/s; receiver
 * measurements accepted on media:report-network.
 */
import { LiveClient, RunningLive, startLiveApp } from '../../support/live-app';

interface Codec {
  mimeType: string;
  parameters?: Record<string, unknown>;
  rtcpFeedback?: Array<{ type: string; parameter?: string }>;
}

describe('live media codecs', () => {
  let live: RunningLive;
  let client: LiveClient;

  beforeAll(async () => {
    live = await startLiveApp();
  });
  afterAll(async () => {
    client?.close();
    await live?.close();
  });

  it('offers Opus with FEC, DTX, NACK and the bitrate cap, and takes receiver measurements', async () => {
    const course = await live.factory.course();
    const user = await live.factory.participant(course);
    client = await LiveClient.connect(live.url, user.token);
    const joined = await client.ok('room:join', { sessionId: course.sessionId });
    const codecs = (joined.routerRtpCapabilities as { codecs: Codec[] }).codecs;
    const opus = codecs.find((c) => c.mimeType.toLowerCase() === 'audio/opus')!;
    expect(opus.parameters).toMatchObject({ useinbandfec: 1, usedtx: 1, maxaveragebitrate: 20_000 });
    expect(opus.rtcpFeedback).toEqual(
      expect.arrayContaining([
        { type: 'nack', parameter: '' },
        { type: 'transport-cc', parameter: '' },
      ]),
    );

    const report = { quality: 'fair', lossPercent: 3.2, jitterMs: 41, framesPerSecond: 14.5, freezesPerMinute: 2 };
    expect(await client.ok('media:report-network', report)).toEqual({ suggestAudioOnly: false });
    expect(await client.request('media:report-network', { ...report, lossPercent: 101 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PAYLOAD' },
    });
    await client.ok('transport:create', { direction: 'recv' });
    expect(await client.ok('media:set-audio-only', { enabled: true })).toEqual({ enabled: true });
    expect(await client.ok('media:set-audio-only', { enabled: false })).toEqual({ enabled: false });
  });
});
