import type { InboundSample } from './media-session';
import {
  audioPlayoutDelayMs,
  classify,
  deviceBusy,
  measure,
  QualityMonitor,
  SAMPLE_INTERVAL_MS,
  networkStrained,
  shouldOfferAudioOnly,
  Snapshot,
  LONG_PATH_RTT_MS,
  startingVideoDelayMs,
  VIDEO_DELAY_MAX_MS,
  VIDEO_DELAY_MIN_MS,
  videoPlayoutDelayMs,
} from './quality-monitor';

const stream = (over: Partial<InboundSample>): InboundSample => ({
  consumerId: 'c-video',
  peerId: 'host',
  source: 'camera',
  kind: 'video',
  packetsReceived: 0,
  packetsLost: 0,
  jitter: 0,
  framesDecoded: 0,
  freezeCount: 0,
  ...over,
});

const snap = (at: number, streams: InboundSample[], rttMs: number | null = 50): Snapshot => ({ at, streams, rttMs });

describe('receiver quality measurements', () => {
  it('measures loss, fps and freezes per minute over the interval, not since the start', () => {
    const a = snap(0, [stream({ packetsReceived: 1000, packetsLost: 100, framesDecoded: 400, freezeCount: 5 })]);
    const b = snap(2000, [
      stream({ packetsReceived: 1190, packetsLost: 110, framesDecoded: 430, freezeCount: 6, jitter: 0.03 }),
    ]);
    const sut = measure(a, b)!;
    expect(sut.lossPercent).toBeCloseTo(5, 5); // 10 lost of 200
    expect(sut.framesPerSecond).toBeCloseTo(15, 5);
    expect(sut.freezesPerMinute).toBeCloseTo(30, 5);
    expect(sut.jitterMs).toBeCloseTo(30, 5);
    expect(sut.rttMs).toBe(50);
  });

  it('has nothing to say before any packet or RTT (the indicator keeps "measuring")', () => {
    expect(measure(snap(0, [], null), snap(2000, [], null))).toBeNull();
  });

  it('classifies a clean link as good and a freezing one as poor or worse', () => {
    const clean = { lossPercent: 0.2, jitterMs: 5, framesPerSecond: 20, freezesPerMinute: 0, rttMs: 40 };
    expect(classify(clean, true)).toBe('good');
    expect(classify({ ...clean, freezesPerMinute: 6 }, true)).toBe('poor');
    expect(classify({ ...clean, lossPercent: 20 }, true)).toBe('bad');
    expect(classify({ ...clean, framesPerSecond: 5 }, true)).toBe('poor');
    expect(classify({ ...clean, framesPerSecond: 5 }, false)).toBe('good');
  });

  it('offers audio-only only after three poor samples in a row', () => {
    expect(shouldOfferAudioOnly(['poor', 'poor'])).toBe(false);
    expect(shouldOfferAudioOnly(['poor', 'good', 'poor', 'bad'])).toBe(false);
    expect(shouldOfferAudioOnly(['good', 'poor', 'bad', 'poor'])).toBe(true);
  });

  it('holds audio about one round trip longer on a lossy link (so resent packets play), back to the default after a clean stretch', () => {
    const m = (lossPercent: number, rttMs: number, jitterMs = 5) => ({
      lossPercent,
      rttMs,
      jitterMs,
      framesPerSecond: 15,
      freezesPerMinute: 0,
    });
    // A clean link keeps the browser's default buffer.
    expect(audioPlayoutDelayMs(m(0, 40), 0, 0)).toEqual({ delayMs: 0, cleanSamples: 1 });
    // 3% loss at 150 ms: 150 * 1.3 + 2 * 5 + 40 = 245 ms.
    let p = audioPlayoutDelayMs(m(3, 150), 0, 0);
    expect(p.delayMs).toBe(245);
    // Small changes do not reset the buffer; a larger round trip raises it at once, capped.
    expect(audioPlayoutDelayMs(m(3, 140), p.delayMs, 0).delayMs).toBe(245);
    expect(audioPlayoutDelayMs(m(5, 600), p.delayMs, 0).delayMs).toBe(400);
    // Clean samples: kept until five in a row, then the default.
    for (let i = 0; i < 4; i++) {
      p = audioPlayoutDelayMs(m(0, 150), p.delayMs, p.cleanSamples);
      expect(p.delayMs).toBe(245);
    }
    expect(audioPlayoutDelayMs(m(0, 150), p.delayMs, p.cleanSamples).delayMs).toBe(0);
  });

  it('offers audio-only for a struggling network, not for video that freezes on a clean one (a busy device)', () => {
    const poor = ['poor', 'poor', 'bad'] as const;
    const cpu = { lossPercent: 0, jitterMs: 6, rttMs: 20, framesPerSecond: 3, freezesPerMinute: 14 };
    const link = { ...cpu, lossPercent: 3, rttMs: 150 };
    expect(networkStrained(cpu)).toBe(false);
    expect(networkStrained(link)).toBe(true);
    expect(shouldOfferAudioOnly([...poor], [false, false, false])).toBe(false);
    expect(shouldOfferAudioOnly([...poor], [true, false, true])).toBe(true);
    expect(shouldOfferAudioOnly(['poor', 'fair', 'poor'], [true, true, true])).toBe(false);
  });

  it('holds video long enough for a NACKed packet to arrive before its frame is due on a lossy link (#10 freezes)', () => {
    const m = (lossPercent: number, rttMs: number, framesPerSecond = 10, jitterMs = 10) => ({
      lossPercent,
      rttMs,
      jitterMs,
      framesPerSecond,
      freezesPerMinute: 0,
    });
    expect(videoPlayoutDelayMs(m(0, 40), 0, 0)).toEqual({ delayMs: 0, cleanSamples: 1 });
    // 3% loss at 150 ms RTT, 10 fps: 1.5 * 150 + 2 * 10 + 100 + 30 = 375 ms (more than one round trip + a frame).
    // Raised in steps (a jump holds the picture that long, itself a freeze): the minimum, then +100 a sample.
    let p = videoPlayoutDelayMs(m(3, 150), 0, 0);
    expect(p.delayMs).toBe(VIDEO_DELAY_MIN_MS);
    p = videoPlayoutDelayMs(m(3, 150), p.delayMs, 0);
    expect(p.delayMs).toBe(300);
    p = videoPlayoutDelayMs(m(3, 150), p.delayMs, 0);
    expect(p.delayMs).toBe(375);
    // Less wanted (or no round trip measured): kept while loss goes on; much more: raised a step, up to the cap.
    expect(videoPlayoutDelayMs(m(3, 130), p.delayMs, 0).delayMs).toBe(375);
    expect(videoPlayoutDelayMs(m(3, 20), p.delayMs, 0).delayMs).toBe(375);
    expect(videoPlayoutDelayMs(m(17, 0), 700, 0).delayMs).toBe(700);
    expect(videoPlayoutDelayMs(m(5, 600, 5), p.delayMs, 0).delayMs).toBe(475);
    expect(videoPlayoutDelayMs(m(5, 600, 5), 650, 0).delayMs).toBe(VIDEO_DELAY_MAX_MS);
    // A short round trip still gets the floor; the default again after five clean samples.
    expect(videoPlayoutDelayMs(m(1, 20, 20), 0, 0).delayMs).toBe(200);
    for (let i = 0; i < 4; i++) {
      p = videoPlayoutDelayMs(m(0, 150), p.delayMs, p.cleanSamples);
      expect(p.delayMs).toBe(375);
    }
    expect(videoPlayoutDelayMs(m(0, 150), p.delayMs, p.cleanSamples).delayMs).toBe(0);
  });

  it('tells a busy CPU from a weak link (#10): slow decoding or late samples veto jitter and RTT as network evidence', () => {
    const base = { lossPercent: 0.2, jitterMs: 45, rttMs: 120, framesPerSecond: 4, freezesPerMinute: 12 };
    // Jitter 45 ms on a device that decodes in 2 ms and samples on time: the network.
    const idle = { ...base, decodeMsPerFrame: 2, lagMs: 20 };
    expect(deviceBusy(idle)).toBe(false);
    expect(networkStrained(idle)).toBe(true);
    // The same readings while decoding takes 25 ms a frame, or the 2 s sample came 400 ms late: the CPU.
    for (const busy of [
      { ...base, decodeMsPerFrame: 25, lagMs: 20 },
      { ...base, decodeMsPerFrame: 2, lagMs: 400 },
    ]) {
      expect(deviceBusy(busy)).toBe(true);
      expect(networkStrained(busy)).toBe(false);
      expect(networkStrained({ ...busy, rttMs: 500 })).toBe(false);
      // A real mobile link on a busy phone: heavy loss on a long round trip still counts.
      expect(networkStrained({ ...busy, lossPercent: 4, rttMs: 150 })).toBe(true);
    }
    // Jitter with no loss on a short round trip (a loaded sender or forwarder): not the network either.
    const loadedLan = { lossPercent: 0, jitterMs: 96, rttMs: 12, framesPerSecond: 5, freezesPerMinute: 0 };
    expect(deviceBusy(loadedLan)).toBe(true);
    expect(networkStrained(loadedLan)).toBe(false);
    // A round trip read late by the loaded machine does not hide it: the path's lowest counts.
    expect(deviceBusy({ ...loadedLan, rttMs: 238, baseRttMs: 20 })).toBe(true);
    // The same jitter on a 150 ms mobile path (a queue), or with loss: the network.
    expect(networkStrained({ ...loadedLan, rttMs: 150 })).toBe(true);
    expect(networkStrained({ ...loadedLan, lossPercent: 2 })).toBe(true);
    // So three poor samples on a loaded machine with a clean link offer nothing.
    const poor = ['poor', 'bad', 'poor'] as const;
    const loaded = { ...base, decodeMsPerFrame: 30 };
    expect(shouldOfferAudioOnly([...poor], [loaded, loaded, loaded].map(networkStrained))).toBe(false);
  });

  it('measures decode time per frame of the main video and the sample lag', () => {
    const a = snap(0, [stream({ packetsReceived: 100, framesDecoded: 100, totalDecodeTime: 0.2 })]);
    const b: Snapshot = {
      ...snap(2000, [stream({ packetsReceived: 300, framesDecoded: 140, totalDecodeTime: 1.2 })]),
      lagMs: 320,
    };
    const sut = measure(a, b)!;
    expect(sut.decodeMsPerFrame).toBeCloseTo(25, 5); // 1 s of decoding over 40 frames
    expect(sut.lagMs).toBe(320);
    expect(deviceBusy(sut)).toBe(true);
  });

  it('reports the lowest round trip of the connection beside the current one (a loaded machine inflates single readings)', async () => {
    jest.useFakeTimers();
    const rtts = [20, 25, 238, 240];
    let packets = 0;
    const reports: Array<{ rttMs: number; baseRttMs?: number; busy: boolean }> = [];
    const monitor = new QualityMonitor(
      {
        inbound: async () => ({
          streams: [stream({ kind: 'audio', packetsReceived: (packets += 100), jitter: 0.06 })],
          rttMs: rtts.shift() ?? 240,
        }),
      },
      () => false,
      (r) => reports.push({ rttMs: r.measures.rttMs, baseRttMs: r.measures.baseRttMs, busy: deviceBusy(r.measures) }),
    );
    monitor.start();
    for (let i = 0; i < 3; i++) await jest.advanceTimersByTimeAsync(SAMPLE_INTERVAL_MS);
    monitor.stop();
    jest.useRealTimers();
    expect(reports.map((r) => r.rttMs)).toEqual([25, 238, 240]);
    expect(reports.map((r) => r.baseRttMs)).toEqual([20, 20, 20]);
    // 60 ms jitter, no loss, a 20 ms path: the machine, even while single readings say 240 ms.
    expect(reports.every((r) => r.busy)).toBe(true);
  });
});

describe('freezes per minute', () => {
  it('counts a freeze over 30 s, not as 30 a minute from one 2 s sample; a run of freezes still reads bad', async () => {
    jest.useFakeTimers();
    const freezesAt = new Set([2, 21, 22, 23, 24, 25, 26]); // one at the start, then one in every sample (n = 1 is the baseline)
    let n = 0;
    let freezeCount = 0;
    const reports: Array<{ quality: string; freezesPerMinute: number; offer: boolean }> = [];
    const monitor = new QualityMonitor(
      {
        inbound: async () => {
          n += 1;
          if (freezesAt.has(n)) freezeCount += 1;
          return {
            streams: [
              stream({ packetsReceived: n * 100, framesDecoded: n * 40, freezeCount }),
              stream({ consumerId: 'c-audio', kind: 'audio', packetsReceived: n * 100 }),
            ],
            rttMs: 150,
          };
        },
      },
      () => true,
      (r) =>
        reports.push({ quality: r.quality, freezesPerMinute: r.measures.freezesPerMinute, offer: r.offerAudioOnly }),
    );
    monitor.start();
    for (let i = 0; i < 25; i++) await jest.advanceTimersByTimeAsync(SAMPLE_INTERVAL_MS);
    monitor.stop();
    jest.useRealTimers();
    expect(reports[0]).toMatchObject({ freezesPerMinute: 2, quality: 'fair', offer: false });
    expect(reports.slice(0, 15).every((r) => r.quality !== 'bad' && !r.offer)).toBe(true);
    expect(reports[16]!.freezesPerMinute).toBe(0); // out of the window
    expect(reports[24]).toMatchObject({ freezesPerMinute: 12, quality: 'bad' });
  });
});

describe('startingVideoDelayMs', () => {
  it('starts a long path with the delay a lossy link of that round trip gets, a short one with none', () => {
    expect(startingVideoDelayMs(null)).toBe(0);
    expect(startingVideoDelayMs(1)).toBe(0);
    expect(startingVideoDelayMs(LONG_PATH_RTT_MS - 1)).toBe(0);
    expect(startingVideoDelayMs(150)).toBe(355);
    expect(startingVideoDelayMs(300)).toBe(580);
    expect(startingVideoDelayMs(2000)).toBe(VIDEO_DELAY_MAX_MS);
  });
});
