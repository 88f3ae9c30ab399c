/**
 * The live classroom's connection, composed of the signalling socket
 * (signalling.ts), one media session per media generation (media-session.ts),
 * the pure reducer of the server's notifications (room-state.ts) and the
 * receiver's quality monitor (quality-monitor.ts). It exposes one observable
 * state for the room UI and never renders anything.
 *
 * Resilience (#10): a dropped socket or a refused join (ROOM_ON_OTHER_NODE, a
 * node shutting down, a timeout) is retried with backoff while the screen says
 * so; `media:restart` (a dead mediasoup worker) rebuilds transports and
 * re-publishes camera, microphone and screen by itself; a room where no media
 * arrives says why and offers a retry.
 */
import { ClientEvent } from '@balai/live-contract/events';
import { LiveErrorCode } from '@balai/live-contract/errors';
import type {
  ClientAckData,
  ClientEventName,
  ClientRequest,
  IceServer,
  LiveError,
  MediaSource,
  PeerInfo,
  ProducerInfo,
  RtpCapabilities,
  ServerNotification,
  TransportCreateResult,
} from '@balai/live-contract';
import { createStore } from '../store';
import { MediaSession } from './media-session';
import type { MediaSessionEvents } from './media-session';
import {
  audioPlayoutDelayMs,
  deviceBusy,
  QualityMonitor,
  startingVideoDelayMs,
  videoPlayoutDelayMs,
} from './quality-monitor';
import type { QualityReport } from './quality-monitor';
import {
  ConnectionCause,
  consumerAdded,
  consumerRemoved,
  disconnected,
  failed,
  initialLiveState,
  joined,
  LiveState,
  MediaProblem,
  published,
  reduce,
  unpublished,
} from './room-state';
import { askPlacement } from './placement';
import { LiveRequestError, Signalling } from './signalling';
import type { SignallingHandlers, SignallingOptions } from './signalling';

export { LiveRequestError } from './signalling';
export type { LiveState, LiveStatus, RemoteMedia } from './room-state';

/** Join refusals that retrying cannot fix. */
const TERMINAL: ReadonlySet<string> = new Set<LiveErrorCode>([
  LiveErrorCode.TooEarly,
  LiveErrorCode.NotAllowed,
  LiveErrorCode.Forbidden,
  LiveErrorCode.Removed,
  LiveErrorCode.SessionOver,
  LiveErrorCode.SessionNotFound,
  LiveErrorCode.Unauthenticated,
]);

/** Media must be arriving this long after the media join, or the participant is told. */
export const NO_MEDIA_MS = 6000;

/** Join retries: 0.4 s, 0.8 s, 1.6 s, then every 2.5 s (+-25%). */
export function joinBackoffMs(attempt: number, random = Math.random()): number {
  const base = Math.min(2500, 400 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.75 + random * 0.5));
}

/** Publish attempts before giving up (0.25 s, 0.5 s, 1 s, 2 s apart: about 4 s in all). */
export const PUBLISH_ATTEMPTS = 5;
export const publishBackoffMs = (attempt: number): number => Math.min(2000, 250 * 2 ** (attempt - 1));

/** The server will not let us publish this (no right to speak): retrying cannot help. */
const isRefusal = (e: unknown): boolean => {
  const code = e instanceof LiveRequestError ? e.error.code : null;
  return code === LiveErrorCode.Forbidden || code === LiveErrorCode.NotAllowed;
};

/** The parts of the signalling and media layers the client uses (unit tests pass fakes). */
export type SignallingPort = Pick<
  Signalling,
  'connected' | 'raw' | 'open' | 'reconnect' | 'moveTo' | 'request' | 'fire' | 'close'
>;
export type MediaSessionPort = Pick<
  MediaSession,
  | 'ready'
  | 'start'
  | 'recvConnectionState'
  | 'consume'
  | 'dropProducer'
  | 'removeConsumer'
  | 'publish'
  | 'closeProducer'
  | 'inbound'
  | 'recvPathRttMs'
  | 'setAudioPlayoutDelay'
  | 'setVideoPlayoutDelay'
  | 'close'
>;

export interface LiveClientOptions {
  url: string;
  path?: string;
  sessionId: string;
  getToken: () => Promise<string | null>;
  makeSignalling?: (opts: SignallingOptions, handlers: SignallingHandlers) => SignallingPort;
  makeMediaSession?: (signalling: SignallingPort, events: MediaSessionEvents) => MediaSessionPort;
  /** Where to reconnect (placement.ts; unit tests pass a fake). */
  askPlacement?: typeof askPlacement;
}

/** While still down, a cause we learnt (the node said it restarts, the API answers but live does not) stays. */
const keptCause = (cause: ConnectionCause | null): ConnectionCause =>
  cause === 'server-restart' || cause === 'live-unreachable' ? cause : 'network';

const toLiveError = (e: unknown): LiveError =>
  e instanceof LiveRequestError
    ? e.error
    : { code: LiveErrorCode.Internal, message: e instanceof Error ? e.message : String(e) };

export class LiveClient {
  readonly state = createStore<LiveState>(initialLiveState());
  private signalling: SignallingPort | null = null;
  private media: MediaSessionPort | null = null;
  private readonly monitor: QualityMonitor;
  private routerRtpCapabilities: RtpCapabilities | null = null;
  private iceServers: IceServer[] = [];
  private joinGeneration = 0;
  private closed = false;
  private connectAttempts = 0;
  /** The live address the page was given, and every live node a placement answer named (issue 14). */
  private knownNodes: string[] = [];
  private placing: Promise<void> | null = null;
  private nodesLearnt = false;
  private lastPlacementAt = -Infinity;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  /** The last receiver report sent (diagnostics and the development test hooks). */
  lastNetworkReport: ClientRequest<'media:report-network'> | null = null;
  /** The video delay the last join started with (from its round trip), until measurements take over. */
  private startDelayMs = 0;
  private firstJoin: { resolve: () => void; reject: (e: unknown) => void } | null = null;
  /** The audio jitter buffer target chosen from the receiver's measurements (quality-monitor.ts). */
  private playout = { delayMs: 0, cleanSamples: 0 };
  /** The video jitter buffer target, likewise. */
  private videoPlayout = { delayMs: 0, cleanSamples: 0 };

  constructor(private readonly opts: LiveClientOptions) {
    this.monitor = new QualityMonitor(
      { inbound: () => this.media?.inbound() ?? Promise.resolve({ streams: [], rttMs: null }) },
      () =>
        !this.state.get().audioOnly &&
        Object.values(this.state.get().producers).some(
          (p) => p.kind === 'video' && p.peerId !== this.state.get().self?.peerId,
        ),
      (r) => this.onQuality(r),
    );
  }

  /** The endpoint is resolved asynchronously (runtime config) after the client exists. */
  setEndpoint(url: string, path?: string): void {
    this.opts.url = url;
    this.opts.path = path;
  }

  /**
   * After a lost connection: ask a live node where to reconnect and move the
   * socket's next attempts there (the node we were on may have died: the
   * session goes on from another, issue 14). At most one question every 2 s;
   * the address we are on, the page's own and every node an answer named are
   * asked in turn.
   */
  private findNode(): void {
    if (this.placing || this.closed || Date.now() - this.lastPlacementAt < 2000) return;
    this.lastPlacementAt = Date.now();
    const ask = this.opts.askPlacement ?? askPlacement;
    const bases = [...new Set([this.opts.url, ...this.knownNodes])];
    this.placing = ask(bases, this.opts.sessionId)
      .then((answer) => {
        if (!answer || this.closed) return;
        this.knownNodes = [...new Set([...this.knownNodes, ...answer.nodes, answer.url])].slice(0, 32);
        if (answer.url !== this.opts.url && !this.signalling?.connected) {
          this.opts.url = answer.url;
          this.signalling?.moveTo(answer.url);
        }
      })
      .finally(() => (this.placing = null));
  }

  /** Learn the other live nodes once joined, while all is well, so a dead node does not leave us without one. */
  private learnNodes(): void {
    this.nodesLearnt = true;
    const ask = this.opts.askPlacement ?? askPlacement;
    void ask([this.opts.url], this.opts.sessionId).then((answer) => {
      if (answer) this.knownNodes = [...new Set([...this.knownNodes, ...answer.nodes])].slice(0, 32);
    });
  }

  /** Before the socket exists: the live endpoint is being looked up (API down and nothing remembered). */
  waitingForEndpoint(attempt: number): void {
    this.patch((s) => disconnected(s, 'config-unreachable', attempt));
  }

  /**
   * The page could reach the API while the live service is unreachable: the
   * participant's internet is fine, say so (the room component probes).
   */
  liveUnreachable(): void {
    const s = this.state.get();
    if ((s.status === 'connecting' || s.status === 'reconnecting') && s.cause === 'network')
      this.patch((st) => ({ ...st, cause: 'live-unreachable' }));
  }

  /** Tracks to publish as soon as the room's media is up (the trainer's device check). */
  setInitialTracks(stream: MediaStream | null): void {
    if (!stream) return;
    const [mic] = stream.getAudioTracks();
    const [camera] = stream.getVideoTracks();
    this.patch((s) => ({ ...s, local: { ...s.local, mic: mic ?? s.local.mic, camera: camera ?? s.local.camera } }));
  }

  private patch(next: (s: LiveState) => LiveState): void {
    this.state.set(next);
  }

  /** The signalling socket (the development test hooks read it). */
  get socket() {
    return this.signalling?.raw ?? null;
  }

  /** Emit a client event and wait for its ack (rejects with the server's LiveError). */
  request<E extends ClientEventName>(
    event: E,
    payload: ClientRequest<E>,
    timeoutMs = 10_000,
  ): Promise<ClientAckData[E]> {
    if (!this.signalling)
      return Promise.reject(new LiveRequestError({ code: LiveErrorCode.Internal, message: 'not connected' }));
    return this.signalling.request(event, payload, timeoutMs);
  }

  /** Connect and join; resolves once joined, rejects with a join error retrying cannot fix. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.firstJoin = { resolve, reject };
      const handlers: SignallingHandlers = {
        connected: () => {
          this.connectAttempts = 0;
          void this.joinWithRetry();
        },
        disconnected: (reason) => this.onDisconnect(reason),
        connectError: (e) => this.onConnectError(e),
        notification: (n) => this.onNotification(n),
      };
      // The page's own address stays a place to ask, whichever node we end up on.
      if (this.opts.url) this.knownNodes = [...new Set([this.opts.url, ...this.knownNodes])];
      const options: SignallingOptions = { url: this.opts.url, path: this.opts.path, getToken: this.opts.getToken };
      this.signalling = this.opts.makeSignalling
        ? this.opts.makeSignalling(options, handlers)
        : new Signalling(options, handlers);
      this.signalling.open();
    });
  }

  private settleFirstJoin(error?: unknown): void {
    const pending = this.firstJoin;
    this.firstJoin = null;
    if (!pending) return;
    if (error) pending.reject(error);
    else pending.resolve();
  }

  private async joinWithRetry(): Promise<void> {
    const generation = ++this.joinGeneration;
    for (let attempt = 1; ; attempt++) {
      if (this.closed || generation !== this.joinGeneration || !this.signalling?.connected) return;
      try {
        await this.join();
        this.settleFirstJoin();
        if (!this.nodesLearnt) this.learnNodes();
        return;
      } catch (e) {
        if (this.closed || generation !== this.joinGeneration) return;
        const error = toLiveError(e);
        if (TERMINAL.has(error.code)) {
          this.patch((s) => failed(s, error));
          this.settleFirstJoin(e);
          this.close(false);
          return;
        }
        const cause: ConnectionCause = error.code === LiveErrorCode.RoomOnOtherNode ? 'room-moving' : 'network';
        this.patch((s) => disconnected(s, cause, attempt));
        await new Promise((r) => setTimeout(r, joinBackoffMs(attempt)));
      }
    }
  }

  private onDisconnect(reason: string): void {
    if (this.closed) return;
    this.joinGeneration++;
    this.dropMedia();
    const s = this.state.get();
    if (s.status === 'ended' || s.status === 'removed') return;
    this.patch((st) => disconnected(st, keptCause(st.cause)));
    this.findNode();
    // socket.io does not reconnect by itself after the server closed the socket on purpose.
    if (reason === 'io server disconnect') setTimeout(() => this.signalling?.reconnect(), joinBackoffMs(1));
  }

  private onConnectError(e: Error & { data?: { code?: string } }): void {
    if (this.closed) return;
    if (e.data?.code === LiveErrorCode.Unauthenticated || /unauth|jwt|token/i.test(e.message)) {
      const error: LiveError = { code: LiveErrorCode.Unauthenticated, message: e.message };
      if (!this.state.get().self) {
        this.patch((s) => failed(s, error));
        this.settleFirstJoin(new LiveRequestError(error));
        this.close(false);
        return;
      }
    }
    this.connectAttempts++;
    this.patch((s) => disconnected(s, keptCause(s.cause), this.connectAttempts));
    this.findNode();
  }

  private async join(): Promise<void> {
    // The receive transport comes in the join's ack: one round trip less to the first audio (#10).
    const sentAt = performance.now();
    const r = await this.request(ClientEvent.RoomJoin, { sessionId: this.opts.sessionId, recvTransport: true });
    // A long path gets its video delay before the first frame, when raising it shows no pause (#10).
    const startDelayMs = startingVideoDelayMs(performance.now() - sentAt);
    if (startDelayMs > this.videoPlayout.delayMs) this.videoPlayout = { delayMs: startDelayMs, cleanSamples: 0 };
    this.startDelayMs = startDelayMs;
    this.patch((s) => joined(s, r));
    this.routerRtpCapabilities = r.routerRtpCapabilities;
    this.iceServers = r.iceServers;
    if (this.state.get().audioOnly)
      await this.request(ClientEvent.SetAudioOnly, { enabled: true }).catch(() => undefined);
    await this.startMedia(r.recvTransport);
  }

  // ---------- media ----------

  /** `recvTransport`: the receive transport the join's ack brought (a later rebuild asks for its own). */
  private async startMedia(recvTransport?: TransportCreateResult): Promise<void> {
    const caps = this.routerRtpCapabilities;
    if (!caps) return;
    this.dropMedia();
    const events: MediaSessionEvents = {
      consumerAdded: (m) => session === this.media && this.patch((s) => consumerAdded(s, m)),
      consumerRemoved: (id) => session === this.media && this.patch((s) => consumerRemoved(s, id)),
      producerEnded: (source) => session === this.media && void this.unpublish(source),
      transportState: (direction, state) => {
        if (session !== this.media) return;
        if (direction === 'recv' && state === 'connected') {
          if (this.state.get().mediaProblem === 'ice-failed') this.setProblem(null);
          void this.correctStartDelay(session);
        }
        if (state === 'failed') this.setProblem('ice-failed');
      },
    };
    const session: MediaSessionPort = this.opts.makeMediaSession
      ? this.opts.makeMediaSession(this.signalling!, events)
      : new MediaSession(this.signalling!, events);
    this.media = session;
    if (this.playout.delayMs) session.setAudioPlayoutDelay(this.playout.delayMs);
    if (this.videoPlayout.delayMs) session.setVideoPlayoutDelay(this.videoPlayout.delayMs);
    this.setProblem(null);
    const willPublish = Object.values(this.state.get().local).some((t) => t?.readyState === 'live');
    try {
      await session.start(caps, this.iceServers, willPublish, recvTransport);
    } catch (e) {
      if (session !== this.media) return;
      const name = e instanceof Error ? e.name : '';
      this.setProblem(
        name === 'UnsupportedError' || typeof RTCPeerConnection === 'undefined' ? 'unsupported' : 'ice-failed',
      );
      return;
    }
    if (session !== this.media) return;
    const s = this.state.get();
    const consuming = Object.values(s.producers)
      .filter((p) => p.peerId !== s.self?.peerId)
      .map((p) => this.consume(p));
    // Re-publish what the user was sending before a reconnect or a media restart.
    const publishing = (Object.entries(s.local) as Array<[MediaSource, MediaStreamTrack | null]>)
      .filter(([, track]) => !!track)
      .map(([source, track]) => {
        // A device that went away meanwhile (unplugged, the OS took it) cannot be sent: say the source is off.
        if (track!.readyState !== 'live') return this.unpublish(source);
        return this.publish(source, track!).catch((e: unknown) => {
          // No longer allowed after the re-join (the invitation to speak did not survive): release the device.
          if (isRefusal(e)) void this.unpublish(source);
          // Anything else was retried by publish(); the button keeps saying "menunggu koneksi".
        });
      });
    await Promise.all([...consuming, ...publishing]);
    this.monitor.start();
    this.armWatchdog();
  }

  private async consume(p: ProducerInfo): Promise<void> {
    if (p.kind === 'video' && this.state.get().audioOnly) return;
    await this.media?.consume(p).catch(() => undefined);
  }

  private setProblem(problem: MediaProblem | null): void {
    if (this.state.get().mediaProblem !== problem) this.patch((s) => ({ ...s, mediaProblem: problem }));
  }

  /** "No track arriving within a few seconds" is said out loud, never a silent room. */
  private armWatchdog(): void {
    clearTimeout(this.watchdog);
    const session = this.media;
    this.watchdog = setTimeout(() => {
      void (async () => {
        if (!session || session !== this.media || this.state.get().status !== 'live') return;
        const s = this.state.get();
        const expected = Object.values(s.producers).some(
          (p) => p.peerId !== s.self?.peerId && !p.paused && (p.kind === 'audio' || !s.audioOnly),
        );
        if (!expected) return;
        const { streams } = await session.inbound();
        if (session !== this.media) return;
        if (streams.some((x) => x.packetsReceived > 0)) return;
        this.setProblem(session.recvConnectionState() === 'connected' ? 'no-media' : 'ice-failed');
      })();
    }, NO_MEDIA_MS);
  }

  /** The retry button of a media problem: fresh ICE first, a whole new media session if that does not help. */
  async retryMedia(): Promise<void> {
    if (this.state.get().mediaProblem === 'unsupported') return;
    this.setProblem(null);
    if (!this.signalling?.connected) {
      this.signalling?.reconnect();
      return;
    }
    await this.startMedia().catch(() => undefined);
  }

  private dropMedia(): void {
    clearTimeout(this.watchdog);
    this.monitor.stop();
    this.media?.close();
    this.media = null;
  }

  /**
   * The join's round trip also holds the server's work, so a busy server can
   * make a short path look long: once ICE has measured the path itself, a start
   * delay it does not need goes (lowering shows no pause; raising would, so the
   * measured delay takes over from here, in steps).
   */
  private async correctStartDelay(session: MediaSessionPort): Promise<void> {
    if (!this.startDelayMs) return;
    const rttMs = await session.recvPathRttMs();
    if (rttMs === null) return; // not measured yet: keep what the join showed
    const needed = startingVideoDelayMs(rttMs);
    if (session !== this.media || this.videoPlayout.delayMs !== this.startDelayMs || needed >= this.startDelayMs)
      return;
    this.startDelayMs = needed;
    session.setVideoPlayoutDelay(needed);
    this.videoPlayout = { delayMs: needed, cleanSamples: 0 };
  }

  private onQuality(r: QualityReport): void {
    if (r.receiving && (this.state.get().mediaProblem === 'no-media' || this.state.get().mediaProblem === 'ice-failed'))
      this.setProblem(null);
    this.patch((st) => ({
      ...st,
      quality: r.quality,
      measures: r.measures,
      offerAudioOnly: st.offerAudioOnly || (r.offerAudioOnly && !st.audioOnly && !st.offerDeclined),
    }));
    const m = r.measures;
    const playout = audioPlayoutDelayMs(m, this.playout.delayMs, this.playout.cleanSamples);
    if (playout.delayMs !== this.playout.delayMs) this.media?.setAudioPlayoutDelay(playout.delayMs);
    this.playout = playout;
    const videoPlayout = videoPlayoutDelayMs(m, this.videoPlayout.delayMs, this.videoPlayout.cleanSamples);
    if (videoPlayout.delayMs !== this.videoPlayout.delayMs) this.media?.setVideoPlayoutDelay(videoPlayout.delayMs);
    this.videoPlayout = videoPlayout;
    const report: ClientRequest<'media:report-network'> = {
      quality: r.quality,
      ...(r.availableBitrate !== undefined ? { availableBitrate: r.availableBitrate } : {}),
      lossPercent: Math.min(100, Math.round(m.lossPercent * 10) / 10),
      jitterMs: Math.min(60_000, Math.round(m.jitterMs)),
      framesPerSecond: Math.min(240, Math.round(m.framesPerSecond * 10) / 10),
      freezesPerMinute: Math.min(600, Math.round(m.freezesPerMinute * 10) / 10),
      deviceBusy: deviceBusy(m),
    };
    this.lastNetworkReport = report;
    void this.request(ClientEvent.ReportNetwork, report).then(
      ({ suggestAudioOnly }) => {
        if (suggestAudioOnly)
          this.patch((st) => (st.audioOnly || st.offerDeclined ? st : { ...st, offerAudioOnly: true }));
      },
      () => undefined,
    );
  }

  /** Tell the server how big a video is drawn, so it can pick a simulcast layer. */
  reportViewport(consumerId: string, width: number, height: number): void {
    void this.request(ClientEvent.ReportViewport, {
      consumerId,
      width: Math.round(width),
      height: Math.round(height),
    }).catch(() => undefined);
  }

  // ---------- publishing ----------

  /**
   * Publish a track (or replace the one sent). A failure retrying can fix (a
   * timeout, the transport being replaced, a refused produce during a media
   * rebuild) is retried with backoff while this is still the wish and this
   * media session is current; a newer session re-publishes the wish itself.
   */
  async publish(source: MediaSource, track: MediaStreamTrack): Promise<void> {
    // Remember the wish first: if media is not up yet (or is being rebuilt) it is published when it is.
    this.patch((s) => ({
      ...s,
      local: { ...s.local, [source]: track },
      mutedByHost: source === 'mic' ? false : s.mutedByHost,
    }));
    const session = this.media;
    if (!session?.ready || !this.state.get().self) return;
    for (let attempt = 1; ; attempt++) {
      try {
        const producerId = await session.publish(source, track);
        if (session !== this.media) return;
        this.patch((s) => published(s, source, producerId, track));
        return;
      } catch (e) {
        const stillWanted =
          !this.closed &&
          session === this.media &&
          this.state.get().local[source] === track &&
          track.readyState === 'live';
        if (!stillWanted) return;
        if (isRefusal(e) || attempt >= PUBLISH_ATTEMPTS) throw e;
        await new Promise((r) => setTimeout(r, publishBackoffMs(attempt)));
      }
    }
  }

  async unpublish(source: MediaSource): Promise<void> {
    const producerId = this.media?.closeProducer(source) ?? null;
    this.state.get().local[source]?.stop();
    this.patch((s) => unpublished(s, source));
    if (producerId) await this.request(ClientEvent.ProducerClose, { producerId }).catch(() => undefined);
  }

  // ---------- room actions ----------

  sendChat = (text: string) => this.request(ClientEvent.ChatSend, { text });
  deleteChat = (messageId: string) => this.request(ClientEvent.ChatDelete, { messageId });
  raiseHand = async () => {
    const { queue } = await this.request(ClientEvent.HandRaise, {});
    this.patch((s) => ({ ...s, hands: queue }));
  };
  lowerHand = async (peerId?: string) => {
    const { queue } = await this.request(ClientEvent.HandLower, peerId ? { peerId } : {});
    this.patch((s) => ({ ...s, hands: queue }));
  };
  invite = (peerId: string, camera = false) => this.request(ClientEvent.SpeakInvite, { peerId, camera });
  revoke = (peerId: string) => this.request(ClientEvent.SpeakRevoke, { peerId });
  mute = (peerId: string) => this.request(ClientEvent.ModerationMute, { peerId });
  stopCamera = (peerId: string) => this.request(ClientEvent.ModerationStopCamera, { peerId });
  remove = (peerId: string) => this.request(ClientEvent.ModerationRemove, { peerId });
  endSession = () => this.request(ClientEvent.SessionEnd, {});
  dismissInvite = () => this.patch((s) => ({ ...s, invited: null }));

  /** Add a chat message the sender's ack returned (the broadcast may come later or not at all). */
  addChat(m: LiveState['chat'][number]): void {
    this.patch((s) => (s.chat.some((c) => c.id === m.id) ? s : { ...s, chat: [...s.chat, m] }));
  }

  /**
   * Audio-only: the server pauses this peer's video consumers (no video bytes
   * sent) and resumes them with a key frame when switched back; video producers
   * that appeared meanwhile are consumed then.
   */
  async setAudioOnly(enabled: boolean): Promise<void> {
    this.patch((s) => ({
      ...s,
      audioOnly: enabled,
      offerAudioOnly: false,
      offerDeclined: s.offerDeclined || !enabled,
    }));
    await this.request(ClientEvent.SetAudioOnly, { enabled }).catch(() => undefined);
    if (!enabled) {
      const s = this.state.get();
      for (const p of Object.values(s.producers))
        if (p.kind === 'video' && p.peerId !== s.self?.peerId) await this.consume(p);
    }
  }

  declineAudioOnly(): void {
    this.patch((s) => ({ ...s, offerDeclined: true, offerAudioOnly: false }));
  }

  // ---------- server notifications ----------

  private onNotification(n: ServerNotification): void {
    if (this.closed) return;
    const before = this.state.get();
    this.patch((s) => reduce(s, n));
    this.afterNotification(n, before);
  }

  /** Losing the right to speak stops our microphone and camera. */
  private afterPeerUpdated(peer: PeerInfo, before: LiveState): void {
    if (before.self?.peerId === peer.peerId && !peer.canSpeak)
      for (const source of ['mic', 'camera'] as const) if (before.local[source]) void this.unpublish(source);
  }

  /** The side effects of a notification (the state change itself is the reducer's). */
  private afterNotification(n: ServerNotification, before: LiveState): void {
    switch (n.event) {
      case 'peer:updated':
        this.afterPeerUpdated(n.payload, before);
        return;
      case 'peers:changed':
        for (const peer of n.payload.peers) this.afterPeerUpdated(peer, before);
        return;
      case 'producer:new':
        if (n.payload.peerId !== before.self?.peerId) void this.consume(n.payload);
        return;
      case 'producer:closed': {
        this.media?.dropProducer(n.payload.producerId);
        const source = before.ownProducers[n.payload.producerId];
        if (source && n.payload.reason !== 'media-restart') {
          this.media?.closeProducer(source);
          before.local[source]?.stop();
        }
        return;
      }
      case 'producer:paused': {
        const source = before.ownProducers[n.payload.producerId];
        if (source && n.payload.paused) {
          // Muted by a host: the reducer marked it; close it here so turning it on publishes afresh.
          const producerId = this.media?.closeProducer(source);
          before.local[source]?.stop();
          if (producerId) void this.request(ClientEvent.ProducerClose, { producerId }).catch(() => undefined);
        }
        return;
      }
      case 'consumer:closed':
        this.media?.removeConsumer(n.payload.consumerId);
        return;
      case 'speak:revoked':
        void this.unpublish('mic');
        void this.unpublish('camera');
        return;
      case 'media:restart':
        // The worker died: new router, new transports; re-publish and re-consume by ourselves.
        this.routerRtpCapabilities = n.payload.routerRtpCapabilities;
        void this.startMedia().catch(() => this.setProblem('ice-failed'));
        return;
      case 'room:removed':
      case 'session:ended':
        this.close(false);
        return;
      case 'server:shutdown':
        // The node releases the room and closes our socket; come back after it said to.
        this.joinGeneration++;
        this.dropMedia();
        setTimeout(() => this.signalling?.reconnect(), n.payload.retryInMs);
        return;
      default:
        return;
    }
  }

  // ---------- for diagnostics and the development test hooks ----------

  inbound() {
    return this.media?.inbound() ?? Promise.resolve({ streams: [], rttMs: null });
  }

  // ---------- teardown ----------

  /**
   * "Keluar kelas": record the leave (room:leave, waiting briefly for its ack)
   * before the page goes, so attendance closes at this moment.
   */
  async leave(waitMs = 1500): Promise<void> {
    if (this.signalling?.connected && this.state.get().self)
      await this.request(ClientEvent.RoomLeave, {}, waitMs).catch(() => undefined);
    this.close(true);
  }

  /** From `pagehide`: nothing can be awaited, so the leave is sent and the socket closed. */
  leaveNow(): void {
    if (this.state.get().self) this.signalling?.fire(ClientEvent.RoomLeave, {});
    this.close(true);
  }

  close(stopLocal = true): void {
    this.closed = true;
    this.joinGeneration++;
    this.dropMedia();
    if (stopLocal) {
      const l = this.state.get().local;
      l.mic?.stop();
      l.camera?.stop();
      l.screen?.stop();
      this.patch((s) => ({
        ...s,
        local: { mic: null, camera: null, screen: null },
        sending: { mic: false, camera: false, screen: false },
      }));
    }
    this.signalling?.close();
    this.signalling = null;
  }
}
