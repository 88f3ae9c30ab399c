import type {
  ClientAckData,
  ClientEventName,
  LiveError,
  RoomJoinResult,
  ServerNotification,
} from '@balai/live-contract';
import { LiveClient, LiveClientOptions, MediaSessionPort, SignallingPort } from './live-client';
import type { MediaSessionEvents } from './media-session';
import { LiveRequestError, SignallingHandlers } from './signalling';

/** A strict fake of the socket: answers requests from a script, lets the test raise connection events. */
class FakeSignalling implements SignallingPort {
  connected = false;
  readonly raw = null;
  readonly sent: Array<{ event: ClientEventName; payload: unknown }> = [];
  readonly answers = new Map<ClientEventName, Array<(payload: unknown) => unknown>>();
  closed = false;
  constructor(readonly on: SignallingHandlers) {}
  answer<E extends ClientEventName>(
    event: E,
    ...replies: Array<ClientAckData[E] | LiveError | ((p: unknown) => ClientAckData[E])>
  ): void {
    this.answers.set(
      event,
      replies.map((r) => (typeof r === 'function' ? r : () => r)),
    );
  }
  open(): void {}
  reconnect(): void {}
  readonly movedTo: string[] = [];
  moveTo(url: string): void {
    this.movedTo.push(url);
  }
  drop(reason = 'transport close'): void {
    this.connected = false;
    this.on.disconnected(reason);
  }
  fire(): void {}
  close(): void {
    this.closed = true;
  }
  async request<E extends ClientEventName>(event: E, payload: unknown): Promise<ClientAckData[E]> {
    this.sent.push({ event, payload });
    const queue = this.answers.get(event) ?? [];
    const next = queue.length > 1 ? queue.shift()! : queue[0];
    const reply = next ? next(payload) : {};
    if (reply && typeof reply === 'object' && 'code' in reply && 'message' in reply)
      throw new LiveRequestError(reply as LiveError);
    return reply as ClientAckData[E];
  }
  connect(): void {
    this.connected = true;
    this.on.connected();
  }
  notify(n: ServerNotification): void {
    this.on.notification(n);
  }
  count(event: ClientEventName): number {
    return this.sent.filter((s) => s.event === event).length;
  }
}

class FakeMedia implements MediaSessionPort {
  ready = false;
  closed = false;
  readonly published: string[] = [];
  readonly closedProducers: string[] = [];
  /** Errors the next publishes of a source throw, in order (then they succeed). */
  readonly failNext = new Map<string, LiveError[]>();
  private n = 0;
  /** The receive transport start() was handed (the join's ack), if any. */
  startedWith: unknown;
  constructor(readonly events: MediaSessionEvents) {}
  async start(_caps?: unknown, _ice?: unknown, _willPublish?: boolean, recvTransport?: unknown): Promise<void> {
    this.startedWith = recvTransport;
    this.ready = true;
  }
  recvConnectionState() {
    return 'connected' as const;
  }
  async consume(): Promise<void> {}
  dropProducer(): void {}
  removeConsumer(): void {}
  async publish(source: string): Promise<string> {
    const failure = this.failNext.get(source)?.shift();
    if (failure) throw new LiveRequestError(failure);
    this.published.push(source);
    return `${source}-producer-${++this.n}`;
  }
  closeProducer(source: string): string | null {
    this.closedProducers.push(source);
    return null;
  }
  async inbound() {
    return { streams: [], rttMs: null };
  }
  /** The receive path's round trip the fake's ICE "measured". */
  pathRttMs: number | null = null;
  async recvPathRttMs() {
    return this.pathRttMs;
  }
  setAudioPlayoutDelay(): void {}
  readonly videoDelays: number[] = [];
  setVideoPlayoutDelay(ms: number): void {
    this.videoDelays.push(ms);
  }
  close(): void {
    this.closed = true;
  }
}

const track = () =>
  ({ kind: 'audio', readyState: 'live', stop: jest.fn() }) as unknown as MediaStreamTrack & { stop: jest.Mock };

function joinResult(): RoomJoinResult {
  const self = {
    peerId: 'me',
    userId: 'u-me',
    name: 'Pak Joko',
    role: 'host' as const,
    canSpeak: true,
    canCamera: true,
    handRaised: false,
  };
  return {
    sessionId: 's1',
    self,
    peers: [],
    producers: [],
    chat: [],
    hands: [],
    activeSpeakerPeerId: null,
    routerRtpCapabilities: { codecs: [] },
    iceServers: [],
    endsAt: '2026-12-01T10:00:00.000Z',
  };
}

function setup(askPlacement: LiveClientOptions['askPlacement'] = async () => null) {
  let signalling!: FakeSignalling;
  const media: FakeMedia[] = [];
  const sut = new LiveClient({
    url: 'http://live.test',
    sessionId: 's1',
    getToken: async () => 'token',
    askPlacement,
    makeSignalling: (_opts, handlers) => (signalling = new FakeSignalling(handlers)),
    makeMediaSession: (_s, events) => {
      const m = new FakeMedia(events);
      media.push(m);
      return m;
    },
  });
  const connected = sut.connect();
  return { sut, signalling, media, connected };
}

const flush = async (times = 10) => {
  for (let i = 0; i < times; i++) await Promise.resolve();
};

describe('LiveClient', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('retries a join refused with ROOM_ON_OTHER_NODE, saying the class is moving, until it is admitted', async () => {
    const { sut, signalling, connected } = setup();
    const refused: LiveError = { code: 'ROOM_ON_OTHER_NODE', message: 'elsewhere' };
    signalling.answer('room:join', refused, refused, joinResult());
    signalling.connect();
    await flush();
    expect(sut.state.get()).toMatchObject({ status: 'connecting', cause: 'room-moving', attempt: 1 });
    await jest.advanceTimersByTimeAsync(600);
    expect(sut.state.get()).toMatchObject({ cause: 'room-moving', attempt: 2 });
    await jest.advanceTimersByTimeAsync(1200);
    await connected;
    expect(sut.state.get()).toMatchObject({ status: 'live', cause: null, attempt: 0 });
    expect(signalling.count('room:join')).toBe(3);
    sut.close();
  });

  it('gives up at once on a refusal retrying cannot fix (the session is not open yet)', async () => {
    const { sut, signalling, connected } = setup();
    signalling.answer('room:join', {
      code: 'TOO_EARLY',
      message: 'later',
      details: { opensAt: '2026-12-01T09:00:00.000Z' },
    });
    signalling.connect();
    await expect(connected).rejects.toBeInstanceOf(LiveRequestError);
    expect(sut.state.get().status).toBe('error');
    expect(sut.state.get().error?.code).toBe('TOO_EARLY');
    expect(signalling.closed).toBe(true);
    await jest.advanceTimersByTimeAsync(5000);
    expect(signalling.count('room:join')).toBe(1);
  });

  it('asks for the receive transport in room:join and hands it to the media session; a media restart asks anew (#10)', async () => {
    const { sut, signalling, media, connected } = setup();
    const recvTransport = { id: 'recv-1', iceParameters: {}, iceCandidates: [], dtlsParameters: {}, iceServers: [] };
    signalling.answer('room:join', { ...joinResult(), recvTransport } as unknown as RoomJoinResult);
    signalling.connect();
    await connected;
    await flush();
    expect(signalling.sent.find((s) => s.event === 'room:join')!.payload).toEqual({
      sessionId: 's1',
      recvTransport: true,
    });
    expect(media[0]!.startedWith).toBe(recvTransport);
    signalling.notify({
      event: 'media:restart',
      payload: { reason: 'worker-died', routerRtpCapabilities: { codecs: [] } },
    });
    await flush(20);
    expect(media[1]!.startedWith).toBeUndefined();
    sut.close(false);
  });

  it('starts video with a playout delay before the first frame when the join took long (#10)', async () => {
    const { sut, signalling, media, connected } = setup();
    signalling.answer('room:join', () => {
      jest.advanceTimersByTime(150); // the ack's round trip: the 500 kbit/s phone profile
      return joinResult();
    });
    signalling.connect();
    await connected;
    await flush();
    // Set on the session before anything was consumed; ICE agrees, so it stays.
    expect(media[0]!.videoDelays).toEqual([355]);
    media[0]!.pathRttMs = 150;
    media[0]!.events.transportState('recv', 'connected');
    await flush();
    expect(media[0]!.videoDelays).toEqual([355]);
    sut.close(false);
  });

  it('drops a start delay that only a busy server caused, once ICE has measured a short path', async () => {
    const { sut, signalling, media, connected } = setup();
    signalling.answer('room:join', () => {
      jest.advanceTimersByTime(400); // a join storm on the server, not the path
      return joinResult();
    });
    signalling.connect();
    await connected;
    await flush();
    expect(media[0]!.videoDelays).toEqual([700]); // 1.5 x 400 + 130, capped
    media[0]!.events.transportState('recv', 'connected'); // no round trip measured yet: kept
    await flush();
    expect(media[0]!.videoDelays).toEqual([700]);
    media[0]!.pathRttMs = 3;
    media[0]!.events.transportState('recv', 'connected');
    await flush();
    expect(media[0]!.videoDelays).toEqual([700, 0]);
    sut.close(false);
  });

  it('after a lost connection asks where to reconnect and moves the socket there, asking every node it learnt (#14)', async () => {
    const asked: string[][] = [];
    const answers = [
      { url: 'http://live-a.test', nodes: ['http://live-a.test', 'http://live-b.test'] }, // learnt after the join
      { url: 'http://live-b.test', nodes: ['http://live-b.test'] }, // A died: B serves the session now
    ];
    const { sut, signalling, connected } = setup(async (bases) => {
      asked.push([...bases]);
      return answers.shift() ?? null;
    });
    signalling.answer('room:join', joinResult());
    signalling.connect();
    await connected;
    await flush();
    expect(asked).toEqual([['http://live.test']]);
    signalling.drop();
    await flush();
    expect(asked[1]).toEqual(['http://live.test', 'http://live-a.test', 'http://live-b.test']);
    expect(signalling.movedTo).toEqual(['http://live-b.test']);
    // Still down 1 s later: not asked again yet (at most every 2 s); after 2 s it is, from B first.
    signalling.drop();
    await flush();
    expect(asked).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(2000);
    signalling.drop();
    await flush();
    expect(asked[2]![0]).toBe('http://live-b.test');
    sut.close(false);
  });

  it('on media:restart builds a new media session and re-publishes microphone and camera by itself, with no moderation message', async () => {
    const { sut, signalling, media, connected } = setup();
    signalling.answer('room:join', joinResult());
    const mic = track();
    const cam = { ...track(), kind: 'video' } as unknown as MediaStreamTrack;
    sut.setInitialTracks({ getAudioTracks: () => [mic], getVideoTracks: () => [cam] } as unknown as MediaStream);
    signalling.connect();
    await connected;
    await flush();
    expect(media[0]!.published.sort()).toEqual(['camera', 'mic']);
    expect(sut.state.get().sending).toMatchObject({ mic: true, camera: true });

    signalling.notify({
      event: 'media:restart',
      payload: { reason: 'worker-died', routerRtpCapabilities: { codecs: [] } },
    });
    await flush(20);
    expect(media[0]!.closed).toBe(true);
    expect(media).toHaveLength(2);
    expect(media[1]!.published.sort()).toEqual(['camera', 'mic']);
    expect(sut.state.get()).toMatchObject({ mutedByHost: false, sending: { mic: true, camera: true } });
    expect(mic.stop).not.toHaveBeenCalled();
    sut.close(false);
  });

  it('a producer closed by moderation stops our microphone and shows the message', async () => {
    const { sut, signalling, media, connected } = setup();
    signalling.answer('room:join', joinResult());
    const mic = track();
    sut.setInitialTracks({ getAudioTracks: () => [mic], getVideoTracks: () => [] } as unknown as MediaStream);
    signalling.connect();
    await connected;
    await flush();
    const producerId = Object.keys(sut.state.get().ownProducers)[0]!;
    signalling.notify({ event: 'producer:closed', payload: { producerId, reason: 'moderation' } });
    expect(sut.state.get()).toMatchObject({ mutedByHost: true, local: { mic: null } });
    expect(media[0]!.closedProducers).toEqual(['mic']);
    expect(mic.stop).toHaveBeenCalled();
    sut.close(false);
  });

  it('"Keluar kelas" sends room:leave and waits for its ack before closing', async () => {
    const { sut, signalling, connected } = setup();
    signalling.answer('room:join', joinResult());
    let acked = false;
    signalling.answer('room:leave', () => {
      acked = true;
      return {};
    });
    signalling.connect();
    await connected;
    await sut.leave();
    expect(acked).toBe(true);
    expect(signalling.closed).toBe(true);
  });

  it('a re-publish after media:restart that fails for a passing reason is retried until the microphone is sent again', async () => {
    const { sut, signalling, media, connected } = setup();
    signalling.answer('room:join', joinResult());
    const mic = track();
    sut.setInitialTracks({ getAudioTracks: () => [mic], getVideoTracks: () => [] } as unknown as MediaStream);
    signalling.connect();
    await connected;
    await flush();
    expect(sut.state.get().sending.mic).toBe(true);

    const realStart = FakeMedia.prototype.start;
    jest.spyOn(FakeMedia.prototype, 'start').mockImplementation(async function (this: FakeMedia) {
      // The new session's first two produces are refused (the transport being replaced, mediasoup refusing during the rebuild).
      this.failNext.set('mic', [
        { code: 'NOT_FOUND', message: 'unknown transport' },
        { code: 'MEDIA_ERROR', message: 'producing failed' },
      ]);
      return realStart.call(this);
    });
    signalling.notify({
      event: 'media:restart',
      payload: { reason: 'worker-died', routerRtpCapabilities: { codecs: [] } },
    });
    await flush(20);
    expect(sut.state.get().sending.mic).toBe(false);
    await jest.advanceTimersByTimeAsync(250);
    expect(sut.state.get().sending.mic).toBe(false);
    await jest.advanceTimersByTimeAsync(500);
    expect(media[1]!.published).toEqual(['mic']);
    expect(sut.state.get()).toMatchObject({ sending: { mic: true }, local: { mic }, mutedByHost: false });
    expect(mic.stop).not.toHaveBeenCalled();
    jest.restoreAllMocks();
    sut.close(false);
  });

  it('a re-publish the server refuses (no right to speak any more) releases the microphone without retrying', async () => {
    const { sut, signalling, media, connected } = setup();
    signalling.answer('room:join', joinResult());
    const mic = track();
    sut.setInitialTracks({ getAudioTracks: () => [mic], getVideoTracks: () => [] } as unknown as MediaStream);
    const realStart = FakeMedia.prototype.start;
    jest.spyOn(FakeMedia.prototype, 'start').mockImplementation(async function (this: FakeMedia) {
      this.failNext.set('mic', [{ code: 'FORBIDDEN', message: 'no' }]);
      return realStart.call(this);
    });
    signalling.connect();
    await connected;
    await flush();
    await jest.advanceTimersByTimeAsync(5000);
    expect(media[0]!.published).toEqual([]);
    expect(sut.state.get()).toMatchObject({ sending: { mic: false }, local: { mic: null } });
    expect(mic.stop).toHaveBeenCalled();
    jest.restoreAllMocks();
    sut.close(false);
  });

  it('a microphone whose track ended before the re-publish reads as off, not as waiting', async () => {
    const { sut, signalling, media, connected } = setup();
    signalling.answer('room:join', joinResult());
    const mic = { ...track(), readyState: 'ended' } as unknown as MediaStreamTrack;
    sut.setInitialTracks({ getAudioTracks: () => [mic], getVideoTracks: () => [] } as unknown as MediaStream);
    signalling.connect();
    await connected;
    await flush();
    expect(media[0]!.published).toEqual([]);
    expect(sut.state.get()).toMatchObject({ sending: { mic: false }, local: { mic: null } });
    sut.close(false);
  });
});
