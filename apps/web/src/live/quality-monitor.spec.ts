import type { InboundSample } from './media-session';
import { classify, measure, shouldOfferAudioOnly, Snapshot } from './quality-monitor';

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
});
