import type { types } from 'mediasoup';
import { routerMediaCodecs, withAudioNack } from './media.config';

describe('router codecs', () => {
  it('offers Opus with in-band FEC, DTX and the average bitrate cap', () => {
    const opus = routerMediaCodecs(20_000).find((c) => c.mimeType === 'audio/opus')!;
    expect(opus.parameters).toEqual({ useinbandfec: 1, usedtx: 1, maxaveragebitrate: 20_000 });
  });
});

describe('withAudioNack', () => {
  const capabilities: types.RtpCapabilities = {
    codecs: [
      {
        kind: 'audio',
        mimeType: 'audio/opus',
        preferredPayloadType: 100,
        clockRate: 48000,
        channels: 2,
        rtcpFeedback: [{ type: 'transport-cc' }],
      },
      {
        kind: 'video',
        mimeType: 'video/VP8',
        preferredPayloadType: 101,
        clockRate: 90000,
        rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
      },
    ],
    headerExtensions: [],
  };

  it('adds NACK to Opus and leaves other codecs alone', () => {
    const result = withAudioNack(capabilities);
    expect(result.codecs![0].rtcpFeedback).toEqual([{ type: 'transport-cc' }, { type: 'nack', parameter: '' }]);
    expect(result.codecs![1]).toBe(capabilities.codecs![1]);
    expect(capabilities.codecs![0].rtcpFeedback).toHaveLength(1); // the input is not mutated
  });

  it('does not add it twice', () => {
    const once = withAudioNack(capabilities);
    expect(withAudioNack(once).codecs![0].rtcpFeedback).toHaveLength(2);
  });
});
