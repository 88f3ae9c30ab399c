import type { ClientEventName, LiveError } from '@balai/live-contract';
import { LiveRequestError } from './signalling';

/**
 * mediasoup-client's Device stood in by a small fake with the behaviour that
 * matters here: a transport asks its 'connect' listener (DTLS) before its first
 * produce, then its 'produce' listener for the server's producer id.
 */
type Listener = (
  params: Record<string, unknown>,
  callback: (r?: unknown) => void,
  errback: (e: unknown) => void,
) => void;

class FakeProducer {
  closed = false;
  constructor(
    readonly id: string,
    readonly track: unknown,
  ) {}
  on(): void {}
  close(): void {
    this.closed = true;
  }
  async replaceTrack(): Promise<void> {}
}

class FakeTransport {
  closed = false;
  connectionState = 'new';
  private connected = false;
  private readonly listeners = new Map<string, Listener>();
  constructor(readonly id: string) {}
  on(event: string, listener: Listener): void {
    this.listeners.set(event, listener);
  }
  private ask(event: string, params: Record<string, unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => this.listeners.get(event)!(params, resolve, reject));
  }
  async produce(options: { track: unknown; appData: { source: string } }): Promise<FakeProducer> {
    if (this.closed) throw new Error('closed');
    if (!this.connected) {
      await this.ask('connect', { dtlsParameters: { role: 'client', fingerprints: [] } });
      this.connected = true;
    }
    const { id } = (await this.ask('produce', {
      kind: options.appData.source === 'mic' ? 'audio' : 'video',
      rtpParameters: {},
      appData: options.appData,
    })) as { id: string };
    return new FakeProducer(id, options.track);
  }
  async consume(o: { id: string; producerId: string; kind: string; appData: unknown }): Promise<FakeConsumer> {
    return new FakeConsumer(o.id, o.producerId, o.kind, o.appData);
  }
  close(): void {
    this.closed = true;
  }
}

/** A consumer with the RTCRtpReceiver field the playout delay sets. */
class FakeConsumer {
  closed = false;
  readonly rtpReceiver = { jitterBufferTarget: null as number | null };
  readonly rtpParameters = { encodings: [] };
  readonly track = {};
  constructor(
    readonly id: string,
    readonly producerId: string,
    readonly kind: string,
    readonly appData: unknown,
  ) {}
  on(): void {}
  close(): void {
    this.closed = true;
  }
}

jest.mock('mediasoup-client', () => ({
  Device: class {
    recvRtpCapabilities = { codecs: [] };
    async load(): Promise<void> {}
    createSendTransport(o: { id: string }) {
      return new FakeTransport(o.id);
    }
    createRecvTransport(o: { id: string }) {
      return new FakeTransport(o.id);
    }
  },
}));

// Imported after the mock is declared (jest hoists jest.mock, this keeps the order obvious).
import { MediaSession } from './media-session';

/**
 * The live server as it treats transports: one send transport per peer, so a
 * new one closes the previous (apps/live/src/media/media.service.ts), and a
 * closed transport is unknown to connect and produce. Every answer takes a
 * few event-loop turns, like a real round trip.
 */
class FakeServer {
  readonly sent: Array<{ event: ClientEventName; payload: Record<string, unknown> }> = [];
  readonly open = new Set<string>();
  readonly producers: Array<{ transportId: string; source: string }> = [];
  connected = true;
  private n = 0;
  private async later(): Promise<void> {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  }
  async request(event: ClientEventName, payload: unknown): Promise<never> {
    const p = payload as Record<string, unknown>;
    this.sent.push({ event, payload: p });
    await this.later();
    const unknownTransport: LiveError = { code: 'NOT_FOUND', message: 'unknown transport' };
    switch (event) {
      case 'transport:create': {
        if (p.direction === 'send') for (const id of this.open) if (id.startsWith('send')) this.open.delete(id);
        const id = `${String(p.direction)}-${++this.n}`;
        this.open.add(id);
        return { id, iceParameters: {}, iceCandidates: [], dtlsParameters: {}, iceServers: [] } as never;
      }
      case 'transport:connect':
        if (!this.open.has(p.transportId as string)) throw new LiveRequestError(unknownTransport);
        return {} as never;
      case 'media:consume': {
        const kind = String(p.producerId).startsWith('audio') ? 'audio' : 'video';
        const source = kind === 'audio' ? 'mic' : 'camera';
        return {
          consumerId: `consumer-${String(p.producerId)}`,
          producerId: p.producerId,
          peerId: 'host',
          kind,
          source,
          rtpParameters: {},
          paused: true,
        } as never;
      }
      case 'media:produce':
        if (!this.open.has(p.transportId as string)) throw new LiveRequestError(unknownTransport);
        this.producers.push({ transportId: p.transportId as string, source: p.source as string });
        return { producerId: `producer-${++this.n}` } as never;
      default:
        return {} as never;
    }
  }
  count(event: ClientEventName, direction?: string): number {
    return this.sent.filter((s) => s.event === event && (!direction || s.payload.direction === direction)).length;
  }
}

const events = () => ({
  consumerAdded: jest.fn(),
  consumerRemoved: jest.fn(),
  producerEnded: jest.fn(),
  transportState: jest.fn(),
});
const track = (kind: string) => ({ kind, readyState: 'live' }) as unknown as MediaStreamTrack;

describe('MediaSession publishing', () => {
  it('microphone and camera published at once (a media restart) share one send transport, and both are produced', async () => {
    const server = new FakeServer();
    const session = new MediaSession(server, events());
    await session.start({ codecs: [] }, []);

    const ids = await Promise.all([
      session.publish('mic', track('audio')),
      session.publish('camera', track('video')),
      session.publish('screen', track('video')),
    ]);

    expect(server.count('transport:create', 'send')).toBe(1);
    expect(server.producers.map((p) => p.source)).toEqual(['mic', 'camera', 'screen']);
    expect(new Set(server.producers.map((p) => p.transportId)).size).toBe(1);
    expect(server.open.has(server.producers[0]!.transportId)).toBe(true);
    expect(new Set(ids).size).toBe(3);
    session.close();
  });

  it('a second publish of the same source while the first is producing replaces the track, not a second producer', async () => {
    const server = new FakeServer();
    const session = new MediaSession(server, events());
    await session.start({ codecs: [] }, []);
    const [a, b] = await Promise.all([session.publish('mic', track('audio')), session.publish('mic', track('audio'))]);
    expect(a).toBe(b);
    expect(server.count('media:produce')).toBe(1);
    session.close();
  });

  it('a publish that failed (its send transport could not be created) does not block the next, which creates it', async () => {
    const server = new FakeServer();
    const session = new MediaSession(server, events());
    await session.start({ codecs: [] }, []);
    const failing = jest.spyOn(server, 'request').mockImplementationOnce(async () => {
      throw new LiveRequestError({ code: 'INTERNAL', message: 'timeout' });
    });
    await expect(session.publish('mic', track('audio'))).rejects.toBeInstanceOf(LiveRequestError);
    failing.mockRestore();
    await expect(session.publish('mic', track('audio'))).resolves.toMatch(/^producer-/);
    expect(server.count('transport:create', 'send')).toBe(1);
    session.close();
  });

  it("start() with the receive transport from room:join's ack does not ask for another (#10)", async () => {
    const server = new FakeServer();
    const session = new MediaSession(server, events());
    const given = { id: 'recv-from-join', iceParameters: {}, iceCandidates: [], dtlsParameters: {}, iceServers: [] };
    await session.start({ codecs: [] } as never, [], false, given as never);
    expect(server.count('transport:create')).toBe(0);
    expect(session.ready).toBe(true);
    await session.consume({ producerId: 'audio-1', peerId: 'host', kind: 'audio', source: 'mic', paused: false });
    expect(server.sent.find((s) => s.event === 'media:consume')!.payload.transportId).toBe('recv-from-join');
    session.close();
  });

  it('start() with something to publish opens the send transport alongside the receive one, and publish uses it', async () => {
    const server = new FakeServer();
    const session = new MediaSession(server, events());
    await session.start({ codecs: [] }, [], true);
    expect(server.count('transport:create', 'send')).toBe(1);
    expect(server.count('transport:create', 'recv')).toBe(1);
    await session.publish('mic', track('audio'));
    expect(server.count('transport:create', 'send')).toBe(1);
    session.close();
  });
});

describe('MediaSession playout delay (#10)', () => {
  const receivers = (session: MediaSession) =>
    new Map(
      [...(session as unknown as { consumers: Map<string, FakeConsumer> }).consumers.values()].map((c) => [
        c.kind,
        c.rtpReceiver,
      ]),
    );

  it('holds video consumers by the video target and audio consumers by the audio one, now and for later consumers', async () => {
    const server = new FakeServer();
    const session = new MediaSession(server, events());
    await session.start({ codecs: [] }, []);
    session.setVideoPlayoutDelay(350);
    await session.consume({ producerId: 'video-1', peerId: 'host', kind: 'video', source: 'camera', paused: false });
    await session.consume({ producerId: 'audio-1', peerId: 'host', kind: 'audio', source: 'mic', paused: false });
    expect(receivers(session).get('video')!.jitterBufferTarget).toBe(350);
    expect(receivers(session).get('audio')!.jitterBufferTarget).toBeNull();

    session.setAudioPlayoutDelay(245);
    expect(receivers(session).get('audio')!.jitterBufferTarget).toBe(245);
    expect(receivers(session).get('video')!.jitterBufferTarget).toBe(350);
    // Back to the browser's default on a clean link.
    session.setVideoPlayoutDelay(0);
    expect(receivers(session).get('video')!.jitterBufferTarget).toBeNull();
    session.close();
  });
});
