/**
 * The live classroom's connection: socket.io signalling (event names and
 * payload types from @balai/live-contract) plus a mediasoup-client Device.
 * It owns transports, producers and consumers and exposes one observable
 * state for the room UI. It never renders anything.
 *
 * Resilience: a socket disconnect shows "reconnecting" and, on reconnect,
 * re-joins the room and rebuilds media; a transport that goes `disconnected`
 * tries an ICE restart; `media:restart` (a dead worker on the server) rebuilds
 * media without leaving the room.
 */
import { io, Socket } from 'socket.io-client';
import { Device } from 'mediasoup-client';
import type { types as ms } from 'mediasoup-client';
import { ClientEvent, ServerEvent } from '@balai/live-contract/events';
import type {
  ChatMessageInfo,
  ClientAckData,
  ClientPayload,
  ConsumeResult,
  MediaSource,
  NetworkQuality,
  PeerInfo,
  ProducerInfo,
  RoomJoinResult,
  TransportCreateResult,
} from '@balai/live-contract/payloads';
import type { Ack, LiveError } from '@balai/live-contract/errors';
import type { ClientEventName } from '@balai/live-contract/events';
import { createStore } from '../store';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'removed' | 'error';

export interface RemoteMedia {
  consumerId: string;
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  track: MediaStreamTrack;
  paused: boolean;
}

export interface LiveState {
  status: LiveStatus;
  error: LiveError | null;
  self: PeerInfo | null;
  peers: Record<string, PeerInfo>;
  producers: Record<string, ProducerInfo>;
  media: Record<string, RemoteMedia>; // by consumerId
  chat: ChatMessageInfo[];
  hands: string[];
  activeSpeaker: string | null;
  quality: NetworkQuality | null;
  audioOnly: boolean;
  offerAudioOnly: boolean;
  local: { mic: MediaStreamTrack | null; camera: MediaStreamTrack | null; screen: MediaStreamTrack | null };
  mutedByHost: boolean;
  invited: { camera: boolean } | null;
  endsAt: string | null;
  endReason: string | null;
}

const initial = (): LiveState => ({
  status: 'connecting',
  error: null,
  self: null,
  peers: {},
  producers: {},
  media: {},
  chat: [],
  hands: [],
  activeSpeaker: null,
  quality: null,
  audioOnly: false,
  offerAudioOnly: false,
  local: { mic: null, camera: null, screen: null },
  mutedByHost: false,
  invited: null,
  endsAt: null,
  endReason: null,
});

export class LiveRequestError extends Error {
  constructor(readonly error: LiveError) {
    super(error.message);
  }
}

const CAMERA_ENCODINGS: ms.RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
];

export interface LiveClientOptions {
  url: string;
  path?: string;
  sessionId: string;
  getToken: () => Promise<string | null>;
}

export class LiveClient {
  readonly state = createStore<LiveState>(initial());
  private socket: Socket | null = null;
  private device: Device | null = null;
  private sendTransport: ms.Transport | null = null;
  private recvTransport: ms.Transport | null = null;
  private consumers = new Map<string, ms.Consumer>();
  private producersBySource = new Map<MediaSource, ms.Producer>();
  private joined = false;
  private closed = false;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private poorCount = 0;
  private offerDeclined = false;
  private lastLoss = { lost: 0, received: 0 };
  private failedConnects = 0;

  constructor(private readonly opts: LiveClientOptions) {}

  /** The endpoint is resolved asynchronously (runtime config) after the client exists. */
  setEndpoint(url: string, path?: string): void {
    this.opts.url = url;
    this.opts.path = path;
  }

  private patch(p: Partial<LiveState> | ((s: LiveState) => Partial<LiveState>)): void {
    this.state.set((s) => ({ ...s, ...(typeof p === 'function' ? p(s) : p) }));
  }

  /** Emit a client event and wait for its ack (rejects with the server's LiveError). */
  request<E extends ClientEventName>(event: E, payload: ClientPayload<E>, timeoutMs = 10_000): Promise<ClientAckData[E]> {
    const socket = this.socket;
    return new Promise((resolve, reject) => {
      if (!socket || !socket.connected) {
        reject(new LiveRequestError({ code: 'INTERNAL', message: 'not connected' }));
        return;
      }
      socket.timeout(timeoutMs).emit(event, payload, (err: Error | null, ack: Ack<ClientAckData[E]>) => {
        if (err) reject(new LiveRequestError({ code: 'INTERNAL', message: 'timeout' }));
        else if (ack && ack.ok) resolve(ack.data);
        else reject(new LiveRequestError(ack?.error ?? { code: 'INTERNAL', message: 'no ack' }));
      });
    });
  }

  /** Connect and join; resolves once joined or rejects with the join error. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const socket = io(this.opts.url, {
        path: this.opts.path ?? '/socket.io',
        transports: ['websocket', 'polling'],
        reconnection: true,
        reconnectionDelay: 800,
        reconnectionDelayMax: 5000,
        auth: (cb) => {
          void this.opts.getToken().then((token) => cb({ token }));
        },
      });
      this.socket = socket;
      this.bindServerEvents(socket);
      socket.on('connect', () => {
        void this.join().then(
          () => {
            if (!settled) {
              settled = true;
              resolve();
            }
          },
          (e: unknown) => {
            const err = e instanceof LiveRequestError ? e.error : ({ code: 'INTERNAL', message: String(e) } as LiveError);
            this.patch({ status: 'error', error: err });
            if (!settled) {
              settled = true;
              reject(e);
            }
            if (['TOO_EARLY', 'NOT_ALLOWED', 'REMOVED', 'SESSION_OVER', 'SESSION_NOT_FOUND', 'UNAUTHENTICATED'].includes(err.code)) this.close(false);
          },
        );
      });
      socket.on('disconnect', (reason) => {
        if (this.closed) return;
        if (reason === 'io server disconnect' && !this.joined) return;
        this.markReconnecting();
        if (reason === 'io server disconnect') socket.connect();
      });
      socket.on('connect_error', (e) => {
        if (this.closed) return;
        if (!this.joined && !settled && /unauth|jwt|token/i.test(e.message)) {
          settled = true;
          this.patch({ status: 'error', error: { code: 'UNAUTHENTICATED', message: e.message } });
          reject(new LiveRequestError({ code: 'UNAUTHENTICATED', message: e.message }));
          this.close(false);
          return;
        }
        if (this.joined) this.markReconnecting();
        else if (++this.failedConnects >= 3 && this.state.get().status === 'connecting') {
          // Still retrying in the background; tell the user instead of spinning forever.
          this.patch({ status: 'error', error: { code: 'INTERNAL', message: 'connect_error' } });
        }
      });
    });
  }

  private markReconnecting(): void {
    if (this.state.get().status === 'live' || this.state.get().status === 'connecting') this.patch({ status: 'reconnecting' });
    this.dropMedia(false);
  }

  private async join(): Promise<void> {
    const r: RoomJoinResult = await this.request(ClientEvent.RoomJoin, { sessionId: this.opts.sessionId });
    this.joined = true;
    const peers: Record<string, PeerInfo> = {};
    for (const p of r.peers) peers[p.peerId] = p;
    peers[r.self.peerId] = r.self;
    const producers: Record<string, ProducerInfo> = {};
    for (const p of r.producers) producers[p.producerId] = p;
    this.patch({
      status: 'live',
      error: null,
      self: r.self,
      peers,
      producers,
      media: {},
      chat: r.chat,
      hands: r.hands,
      activeSpeaker: r.activeSpeakerPeerId,
      endsAt: r.endsAt,
    });
    await this.startMedia(r.routerRtpCapabilities, r.iceServers);
    if (this.state.get().audioOnly) await this.request(ClientEvent.SetAudioOnly, { enabled: true }).catch(() => undefined);
    this.startStats();
  }

  private async startMedia(routerRtpCapabilities: Record<string, unknown>, iceServers: RTCIceServer[]): Promise<void> {
    const device = new Device();
    await device.load({ routerRtpCapabilities: routerRtpCapabilities as ms.RtpCapabilities });
    this.device = device;
    this.recvTransport = await this.createTransport('recv', iceServers);
    const self = this.state.get().self;
    for (const p of Object.values(this.state.get().producers)) if (p.peerId !== self?.peerId) await this.consume(p).catch(() => undefined);
    // Re-publish what we were sending before a reconnect/media restart.
    const local = this.state.get().local;
    for (const [source, track] of Object.entries(local) as Array<[MediaSource, MediaStreamTrack | null]>) {
      if (track && track.readyState === 'live') await this.publish(source, track).catch(() => undefined);
    }
  }

  private async createTransport(direction: 'send' | 'recv', iceServers: RTCIceServer[]): Promise<ms.Transport> {
    const info: TransportCreateResult = await this.request(ClientEvent.TransportCreate, { direction });
    const options = {
      id: info.id,
      iceParameters: info.iceParameters as unknown as ms.IceParameters,
      iceCandidates: info.iceCandidates as unknown as ms.IceCandidate[],
      dtlsParameters: info.dtlsParameters as unknown as ms.DtlsParameters,
      iceServers: (info.iceServers?.length ? info.iceServers : iceServers) as RTCIceServer[],
    };
    const transport = direction === 'send' ? this.device!.createSendTransport(options) : this.device!.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.request(ClientEvent.TransportConnect, {
        transportId: transport.id,
        dtlsParameters: dtlsParameters as ClientPayload<'transport:connect'>['dtlsParameters'],
      }).then(() => callback(), errback);
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        this.request(ClientEvent.Produce, {
          transportId: transport.id,
          kind,
          source: (appData as { source: MediaSource }).source,
          rtpParameters: rtpParameters as unknown as ClientPayload<'media:produce'>['rtpParameters'],
        }).then(({ producerId }) => callback({ id: producerId }), errback);
      });
    }
    transport.on('connectionstatechange', (state) => {
      if (state === 'disconnected' || state === 'failed') void this.restartIce(transport);
    });
    return transport;
  }

  private async restartIce(transport: ms.Transport): Promise<void> {
    if (this.closed || transport.closed || !this.socket?.connected) return;
    try {
      const { iceParameters } = await this.request(ClientEvent.TransportRestartIce, { transportId: transport.id });
      await transport.restartIce({ iceParameters: iceParameters as unknown as ms.IceParameters });
    } catch {
      /* the socket reconnect path rebuilds everything */
    }
  }

  private async consume(p: ProducerInfo): Promise<void> {
    if (!this.recvTransport || !this.device) return;
    if (p.kind === 'video' && this.state.get().audioOnly) return;
    if ([...this.consumers.values()].some((c) => c.producerId === p.producerId)) return;
    const r: ConsumeResult = await this.request(ClientEvent.Consume, {
      transportId: this.recvTransport.id,
      producerId: p.producerId,
      rtpCapabilities: this.device.recvRtpCapabilities as unknown as ClientPayload<'media:consume'>['rtpCapabilities'],
    });
    const consumer = await this.recvTransport.consume({
      id: r.consumerId,
      producerId: r.producerId,
      kind: r.kind,
      rtpParameters: r.rtpParameters as unknown as ms.RtpParameters,
      appData: { peerId: r.peerId, source: r.source },
    });
    this.consumers.set(consumer.id, consumer);
    consumer.on('trackended', () => this.removeConsumer(consumer.id));
    consumer.on('transportclose', () => this.removeConsumer(consumer.id));
    this.patch((s) => ({
      media: {
        ...s.media,
        [consumer.id]: { consumerId: consumer.id, producerId: r.producerId, peerId: r.peerId, kind: r.kind, source: r.source, track: consumer.track, paused: p.paused },
      },
    }));
    await this.request(ClientEvent.ConsumerResume, { consumerId: consumer.id });
  }

  private removeConsumer(consumerId: string): void {
    const c = this.consumers.get(consumerId);
    if (c && !c.closed) c.close();
    this.consumers.delete(consumerId);
    this.patch((s) => {
      const media = { ...s.media };
      delete media[consumerId];
      return { media };
    });
  }

  /** Tell the server how big a video is drawn, so it can pick a simulcast layer. */
  reportViewport(consumerId: string, width: number, height: number): void {
    void this.request(ClientEvent.ReportViewport, { consumerId, width: Math.round(width), height: Math.round(height) }).catch(() => undefined);
  }

  // ---------- publishing ----------

  async publish(source: MediaSource, track: MediaStreamTrack): Promise<void> {
    if (!this.device) throw new Error('not joined');
    if (!this.sendTransport) this.sendTransport = await this.createTransport('send', []);
    const old = this.producersBySource.get(source);
    if (old && !old.closed) {
      await old.replaceTrack({ track });
    } else {
      const producer = await this.sendTransport.produce({
        track,
        encodings: source === 'camera' ? CAMERA_ENCODINGS : undefined,
        codecOptions: source === 'mic' ? { opusDtx: true, opusFec: true } : { videoGoogleStartBitrate: 800 },
        appData: { source },
        stopTracks: false,
      });
      this.producersBySource.set(source, producer);
      producer.on('trackended', () => void this.unpublish(source));
    }
    this.patch((s) => ({ local: { ...s.local, [source]: track }, mutedByHost: source === 'mic' ? false : s.mutedByHost }));
  }

  async unpublish(source: MediaSource): Promise<void> {
    const producer = this.producersBySource.get(source);
    this.producersBySource.delete(source);
    if (producer && !producer.closed) {
      producer.close();
      await this.request(ClientEvent.ProducerClose, { producerId: producer.id }).catch(() => undefined);
    }
    const track = this.state.get().local[source];
    track?.stop();
    this.patch((s) => ({ local: { ...s.local, [source]: null } }));
  }

  // ---------- room actions ----------

  sendChat = (text: string) => this.request(ClientEvent.ChatSend, { text });
  deleteChat = (messageId: string) => this.request(ClientEvent.ChatDelete, { messageId });
  raiseHand = async () => this.patch({ hands: (await this.request(ClientEvent.HandRaise, {})).queue });
  lowerHand = async (peerId?: string) => this.patch({ hands: (await this.request(ClientEvent.HandLower, peerId ? { peerId } : {})).queue });
  invite = (peerId: string, camera = false) => this.request(ClientEvent.SpeakInvite, { peerId, camera });
  revoke = (peerId: string) => this.request(ClientEvent.SpeakRevoke, { peerId });
  mute = (peerId: string) => this.request(ClientEvent.ModerationMute, { peerId });
  stopCamera = (peerId: string) => this.request(ClientEvent.ModerationStopCamera, { peerId });
  remove = (peerId: string) => this.request(ClientEvent.ModerationRemove, { peerId });
  endSession = () => this.request(ClientEvent.SessionEnd, {});
  dismissInvite = () => this.patch({ invited: null });

  /**
   * Audio-only: the server pauses this peer's video consumers (no video bytes
   * sent) and resumes them with a key frame when switched back; video producers
   * that appeared meanwhile are consumed then.
   */
  async setAudioOnly(enabled: boolean): Promise<void> {
    this.patch({ audioOnly: enabled, offerAudioOnly: false });
    if (!enabled) this.offerDeclined = true;
    await this.request(ClientEvent.SetAudioOnly, { enabled }).catch(() => undefined);
    if (!enabled) {
      for (const p of Object.values(this.state.get().producers)) if (p.kind === 'video' && p.peerId !== this.state.get().self?.peerId) await this.consume(p).catch(() => undefined);
    }
  }

  declineAudioOnly(): void {
    this.offerDeclined = true;
    this.patch({ offerAudioOnly: false });
  }

  // ---------- server notifications ----------

  private bindServerEvents(socket: Socket): void {
    const on = <T>(name: string, fn: (payload: T) => void) => socket.on(name, fn);
    on<PeerInfo>(ServerEvent.PeerJoined, (p) => this.patch((s) => ({ peers: { ...s.peers, [p.peerId]: p } })));
    on<PeerInfo>(ServerEvent.PeerUpdated, (p) =>
      this.patch((s) => {
        const isSelf = s.self?.peerId === p.peerId;
        // Losing the right to speak stops our microphone and camera.
        if (isSelf && !p.canSpeak) for (const src of ['mic', 'camera'] as MediaSource[]) if (s.local[src]) void this.unpublish(src);
        return { peers: { ...s.peers, [p.peerId]: p }, self: isSelf ? p : s.self };
      }),
    );
    on<{ peerId: string }>(ServerEvent.PeerLeft, ({ peerId }) =>
      this.patch((s) => {
        const peers = { ...s.peers };
        delete peers[peerId];
        return { peers };
      }),
    );
    on<ProducerInfo>(ServerEvent.ProducerNew, (p) => {
      this.patch((s) => ({ producers: { ...s.producers, [p.producerId]: p } }));
      if (p.peerId !== this.state.get().self?.peerId) void this.consume(p).catch(() => undefined);
    });
    on<{ producerId: string }>(ServerEvent.ProducerClosed, ({ producerId }) => {
      for (const c of [...this.consumers.values()]) if (c.producerId === producerId) this.removeConsumer(c.id);
      // One of ours closed by a moderator.
      for (const [source, prod] of this.producersBySource) {
        if (prod.id === producerId) {
          prod.close();
          this.producersBySource.delete(source);
          this.state.get().local[source]?.stop();
          this.patch((s) => ({ local: { ...s.local, [source]: null }, mutedByHost: source === 'mic' ? true : s.mutedByHost }));
        }
      }
      this.patch((s) => {
        const producers = { ...s.producers };
        delete producers[producerId];
        return { producers };
      });
    });
    on<{ producerId: string; paused: boolean }>(ServerEvent.ProducerPaused, ({ producerId, paused }) => {
      this.patch((s) => {
        const p = s.producers[producerId];
        const media = Object.fromEntries(Object.entries(s.media).map(([k, m]) => [k, m.producerId === producerId ? { ...m, paused } : m]));
        return { producers: p ? { ...s.producers, [producerId]: { ...p, paused } } : s.producers, media };
      });
      // A host muted one of ours: the server paused it and only a new producer can be heard again,
      // so drop it; the microphone button then shows "off" and turning it on publishes afresh.
      for (const [source, prod] of this.producersBySource) {
        if (prod.id === producerId && paused) {
          this.patch({ mutedByHost: source === 'mic' });
          void this.unpublish(source);
        }
      }
    });
    on<{ consumerId: string }>(ServerEvent.ConsumerClosed, ({ consumerId }) => this.removeConsumer(consumerId));
    on<{ peerId: string | null }>(ServerEvent.ActiveSpeaker, ({ peerId }) => this.patch({ activeSpeaker: peerId }));
    on<ChatMessageInfo>(ServerEvent.ChatMessage, (m) => this.patch((s) => (s.chat.some((c) => c.id === m.id) ? {} : { chat: [...s.chat, m].slice(-300) })));
    on<{ messageId: string }>(ServerEvent.ChatDeleted, ({ messageId }) => this.patch((s) => ({ chat: s.chat.filter((c) => c.id !== messageId) })));
    on<{ queue: string[] }>(ServerEvent.HandsUpdated, ({ queue }) => this.patch({ hands: queue }));
    on<{ camera: boolean }>(ServerEvent.SpeakGranted, ({ camera }) => this.patch({ invited: { camera: !!camera } }));
    on<Record<string, never>>(ServerEvent.SpeakRevoked, () => {
      this.patch({ invited: null });
      void this.unpublish('mic');
      void this.unpublish('camera');
    });
    on<{ quality: NetworkQuality }>(ServerEvent.AudioOnlySuggested, () => {
      if (!this.state.get().audioOnly && !this.offerDeclined) this.patch({ offerAudioOnly: true });
    });
    on<{ routerRtpCapabilities: Record<string, unknown> }>(ServerEvent.MediaRestart, ({ routerRtpCapabilities }) => {
      this.dropMedia(false);
      void this.startMedia(routerRtpCapabilities, []).catch(() => this.markReconnecting());
    });
    on<{ reason: string; message: string }>(ServerEvent.Removed, ({ reason, message }) => {
      if (reason === 'session-ended') this.finish('ended', 'session-ended');
      else if (reason === 'replaced') this.finish('removed', 'replaced', message);
      else this.finish('removed', 'removed', message);
    });
    on<{ reason: string }>(ServerEvent.SessionEnded, ({ reason }) => this.finish('ended', reason));
  }

  private finish(status: 'ended' | 'removed', reason: string, message?: string): void {
    this.patch({ status, endReason: reason, error: message ? { code: status === 'removed' ? 'REMOVED' : 'SESSION_OVER', message } : null });
    this.close(false);
  }

  // ---------- network quality ----------

  private startStats(): void {
    clearInterval(this.statsTimer);
    this.statsTimer = setInterval(() => void this.sampleStats(), 4000);
  }

  private async sampleStats(): Promise<void> {
    const transport = this.recvTransport;
    if (!transport || transport.closed || this.state.get().status !== 'live') return;
    let rtt = 0;
    let bitrate: number | undefined;
    let lost = 0;
    let received = 0;
    try {
      const report = await transport.getStats();
      report.forEach((s: Record<string, unknown>) => {
        if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
          rtt = Number(s.currentRoundTripTime ?? 0);
          if (typeof s.availableIncomingBitrate === 'number') bitrate = s.availableIncomingBitrate;
        }
        if (s.type === 'inbound-rtp' && s.mid !== 'probator') {
          lost += Number(s.packetsLost ?? 0);
          received += Number(s.packetsReceived ?? 0);
        }
      });
    } catch {
      return;
    }
    const dLost = Math.max(0, lost - this.lastLoss.lost);
    const dRecv = Math.max(0, received - this.lastLoss.received);
    this.lastLoss = { lost, received };
    const loss = dLost + dRecv > 0 ? dLost / (dLost + dRecv) : 0;
    const quality: NetworkQuality = loss > 0.15 || rtt > 1.5 ? 'bad' : loss > 0.05 || rtt > 0.6 ? 'poor' : loss > 0.02 || rtt > 0.3 ? 'fair' : 'good';
    this.poorCount = quality === 'poor' || quality === 'bad' ? this.poorCount + 1 : 0;
    this.patch((s) => ({ quality, offerAudioOnly: s.offerAudioOnly || (this.poorCount >= 2 && !s.audioOnly && !this.offerDeclined) }));
    void this.request(ClientEvent.ReportNetwork, bitrate !== undefined ? { quality, availableBitrate: bitrate } : { quality }).then(
      ({ suggestAudioOnly }) => {
        if (suggestAudioOnly && !this.state.get().audioOnly && !this.offerDeclined) this.patch({ offerAudioOnly: true });
      },
      () => undefined,
    );
  }

  /** For tests and diagnostics: decoded frames per video consumer, from the consumer's own SSRC (not the probator). */
  async videoStats(): Promise<Array<{ consumerId: string; peerId: string; source: string; framesDecoded: number; frameWidth?: number }>> {
    const out: Array<{ consumerId: string; peerId: string; source: string; framesDecoded: number; frameWidth?: number }> = [];
    for (const c of this.consumers.values()) {
      if (c.kind !== 'video') continue;
      const ssrc = c.rtpParameters.encodings?.[0]?.ssrc;
      const report = await c.getStats();
      let framesDecoded = 0;
      let frameWidth: number | undefined;
      report.forEach((s: Record<string, unknown>) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video' && (ssrc === undefined || s.ssrc === ssrc)) {
          framesDecoded = Number(s.framesDecoded ?? 0);
          frameWidth = s.frameWidth as number | undefined;
        }
      });
      const appData = c.appData as { peerId: string; source: string };
      out.push({ consumerId: c.id, peerId: appData.peerId, source: appData.source, framesDecoded, frameWidth });
    }
    return out;
  }

  /** For tests: audio packets received per audio consumer. */
  async audioStats(): Promise<Array<{ consumerId: string; peerId: string; packetsReceived: number }>> {
    const out: Array<{ consumerId: string; peerId: string; packetsReceived: number }> = [];
    for (const c of this.consumers.values()) {
      if (c.kind !== 'audio') continue;
      const ssrc = c.rtpParameters.encodings?.[0]?.ssrc;
      let packetsReceived = 0;
      (await c.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio' && (ssrc === undefined || s.ssrc === ssrc)) packetsReceived = Number(s.packetsReceived ?? 0);
      });
      out.push({ consumerId: c.id, peerId: (c.appData as { peerId: string }).peerId, packetsReceived });
    }
    return out;
  }

  // ---------- teardown ----------

  private dropMedia(stopLocal: boolean): void {
    clearInterval(this.statsTimer);
    for (const c of this.consumers.values()) if (!c.closed) c.close();
    this.consumers.clear();
    for (const p of this.producersBySource.values()) if (!p.closed) p.close();
    this.producersBySource.clear();
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = null;
    this.recvTransport = null;
    if (stopLocal) {
      const l = this.state.get().local;
      l.mic?.stop();
      l.camera?.stop();
      l.screen?.stop();
    }
    this.patch((s) => ({ media: {}, local: stopLocal ? { mic: null, camera: null, screen: null } : s.local }));
  }

  async leave(): Promise<void> {
    if (this.socket?.connected && this.joined) await this.request(ClientEvent.RoomLeave, {}, 3000).catch(() => undefined);
    this.close(true);
  }

  close(stopLocal = true): void {
    this.closed = true;
    this.dropMedia(stopLocal);
    this.socket?.off();
    this.socket?.disconnect();
    this.socket = null;
  }
}
