import type { types as ms } from 'mediasoup-client';
import { rememberingFactory } from './native-capabilities';

describe('native capabilities asked once per page (#10 first audio)', () => {
  it('asks the browser once per direction, and asks again after a failure', async () => {
    const caps = (n: number) => ({ codecs: [], headerExtensions: [], n }) as unknown as ms.RtpCapabilities;
    let calls = 0;
    let fail = true;
    const base: ms.HandlerFactory = {
      name: 'Fake',
      factory: () => {
        throw new Error('unused');
      },
      getNativeRtpCapabilities: async () => caps(++calls),
      getNativeSctpCapabilities: async () => {
        if (fail) {
          fail = false;
          throw new Error('busy');
        }
        return { numStreams: { OS: 1024, MIS: 1024 } };
      },
    };
    const sut = rememberingFactory(base);
    // Destructured like Device.load() does: no `this`.
    const { getNativeRtpCapabilities, getNativeSctpCapabilities } = sut;
    const recv = await getNativeRtpCapabilities({ direction: 'recvonly' });
    expect(await getNativeRtpCapabilities({ direction: 'recvonly' })).toBe(recv);
    await getNativeRtpCapabilities({ direction: 'sendonly' });
    expect(calls).toBe(2);
    await expect(getNativeSctpCapabilities()).rejects.toThrow('busy');
    await expect(getNativeSctpCapabilities()).resolves.toEqual({ numStreams: { OS: 1024, MIS: 1024 } });
    expect(sut.name).toBe('Fake');
  });
});
