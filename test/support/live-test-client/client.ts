/// <reference lib="dom" />
/**
 * Browser test client for the live service: the same contract and libraries
 * the web client uses (mediasoup-client, socket.io-client, @balai/live-contract),
 * driven by Playwright through `window.liveTest`. Bundled with esbuild by the
 * e2e tests; never shipped.
 */
import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import { io, Socket } from 'socket.io-client';
import type {
  Ack,
  ClientAckData,
  ClientEventName,
  ConsumeResult,
  MediaRestartNotice,
  ProducerInfo,
  RoomJoinResult,
} from '@balai/live-contract';

interface ConsumerEntry {
  consumer: types.Consumer;
  info: ConsumeResult;
  element?: HTMLMediaElement;
}

export interface ConsumerStats {
  consumerId: string;
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
  source: string;
  ssrc: number;
  framesDecoded: number;
  packetsReceived: number;
  frameWidth: number;
  /** inbound-rtp entries seen for this kind (the probator adds one for video). */
  inboundOfKind: number;
}

class LiveTestClient {
  socket?: Socket;
  device?: Device;
  sendTransport?: types.Transport;
  recvTransport?: types.Transport;
  joined?: RoomJoinResult;
  readonly consumers = new Map<string, ConsumerEntry>();
  readonly producers = new Map<'camera' | 'mic' | 'screen', types.Producer>();
  readonly events: Array<{ event: string; payload: unknown; at: number }> = [];
  readonly marks: Record<string, number> = {};
  private readonly published = new Map<'camera' | 'mic' | 'screen', MediaStreamTrack>();
  /** Others' producers in the room (from the join, producer:new and producer:closed), as the web client keeps them. */
  private readonly known = new Map<string, ProducerInfo>();
  private sessionId?: string;
  private t0 = 0;
  /** Live nodes to ask GET /placement when the connection is lost (where to reconnect). */
  private placementUrls: string[] = [];
  private placed?: string;

  connect(url: string, token: string): Promise<void> {
    this.t0 = performance.now();
    const socket = io(url, {
      transports: ['websocket'],
      auth: { token },
      reconnectionDelay: 200,
      reconnectionDelayMax: 1000,
    });
    this.socket = socket;
    socket.onAny((event: string, payload: unknown) =>
      this.events.push({ event, payload, at: performance.now() - this.t0 }),
    );
    socket.on('producer:new', (info: ProducerInfo) => {
      this.known.set(info.producerId, info);
      void this.consume(info).catch((e) => this.log('consume failed', e));
    });
    socket.on('producer:closed', ({ producerId }: { producerId: string }) => this.known.delete(producerId));
    socket.on('consumer:closed', ({ consumerId }: { consumerId: string }) => this.dropConsumer(consumerId));
    socket.on(
      'media:restart',
      (notice: MediaRestartNotice) => void this.restartMedia(notice).catch((e) => this.log('restart failed', e)),
    );
    socket.on('speak:revoked', () => this.unpublishAll());
    socket.io.on('reconnect', () => void this.rejoin().catch((e) => this.log('rejoin failed', e)));
    // Placement (issue 14): each attempt goes where the last answer of a live node's GET /placement pointed.
    socket.io.on('reconnect_attempt', () => {
      if (this.placed) (socket.io as unknown as { uri: string }).uri = this.placed;
      void this.askPlacement();
    });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => {
        this.mark('connected');
        resolve();
      });
      socket.once('connect_error', (error: Error & { data?: unknown }) =>
        reject(new Error(JSON.stringify(error.data ?? error.message))),
      );
    });
  }

  /** Where to reconnect if this node goes: these nodes are asked for the least-loaded one. */
  usePlacement(urls: string[]): void {
    this.placementUrls = urls;
  }

  private async askPlacement(): Promise<void> {
    for (const base of this.placementUrls) {
      try {
        const query = this.sessionId ? `?sessionId=${this.sessionId}` : '';
        const response = await fetch(`${base}/placement${query}`, { signal: AbortSignal.timeout(1000) });
        if (!response.ok) continue;
        const { url } = (await response.json()) as { url: string };
        if (url) {
          this.placed = url;
          this.events.push({ event: 'client-placed', payload: url, at: performance.now() - this.t0 });
          return;
        }
      } catch {
        // that node is gone too: ask the next
      }
    }
  }

  private mark(name: string): void {
    this.marks[name] ??= performance.now() - this.t0;
  }

  private log(message: string, error: unknown): void {
    this.events.push({
      event: 'client-error',
      payload: `${message}: ${String(error)}`,
      at: performance.now() - this.t0,
    });
  }

  async request<E extends ClientEventName>(event: E, payload: unknown = {}): Promise<Ack<ClientAckData[E]>> {
    if (!this.socket) throw new Error('not connected');
    return (await this.socket.timeout(10_000).emitWithAck(event, payload)) as Ack<ClientAckData[E]>;
  }

  async ok<E extends ClientEventName>(event: E, payload: unknown = {}): Promise<ClientAckData[E]> {
    const ack = await this.request(event, payload);
    if (!ack.ok) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
    return ack.data;
  }

  /** Connect and join in one go, as a real client does (no test-driver round trip in between). */
  async connectAndJoin(url: string, token: string, sessionId: string): Promise<Ack<RoomJoinResult>> {
    await this.connect(url, token);
    return this.join(sessionId);
  }

  /** Join and receive everything already published (returns the join result or the error ack). */
  async join(sessionId: string): Promise<Ack<RoomJoinResult>> {
    const ack = await this.request('room:join', { sessionId });
    if (!ack.ok) return ack;
    this.sessionId = sessionId;
    this.joined = ack.data;
    this.mark('joined');
    await this.setupMedia(ack.data.routerRtpCapabilities, ack.data.producers);
    return ack;
  }

  private async setupMedia(routerRtpCapabilities: Record<string, unknown>, producers: ProducerInfo[]): Promise<void> {
    if (!this.device) {
      this.device = new Device();
      await this.device.load({ routerRtpCapabilities: routerRtpCapabilities as unknown as types.RtpCapabilities });
    }
    this.mark('device-loaded');
    await this.createRecvTransport();
    this.mark('recv-transport');
    this.known.clear();
    for (const info of producers) this.known.set(info.producerId, info);
    for (const info of producers) await this.consume(info);
  }

  private async createRecvTransport(): Promise<void> {
    const params = await this.ok('transport:create', { direction: 'recv' });
    const transport = this.device!.createRecvTransport({
      id: params.id,
      iceParameters: params.iceParameters as unknown as types.IceParameters,
      iceCandidates: params.iceCandidates as unknown as types.IceCandidate[],
      dtlsParameters: params.dtlsParameters as unknown as types.DtlsParameters,
      iceServers: params.iceServers as RTCIceServer[],
    });
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.ok('transport:connect', { transportId: transport.id, dtlsParameters }).then(() => callback(), errback);
    });
    transport.on('connectionstatechange', (state) => {
      if (state === 'connected') this.mark('recv-connected');
      else this.restartIceIfBroken(transport, state);
    });
    this.recvTransport = transport;
  }

  private async ensureSendTransport(): Promise<types.Transport> {
    if (this.sendTransport && !this.sendTransport.closed) return this.sendTransport;
    const params = await this.ok('transport:create', { direction: 'send' });
    const transport = this.device!.createSendTransport({
      id: params.id,
      iceParameters: params.iceParameters as unknown as types.IceParameters,
      iceCandidates: params.iceCandidates as unknown as types.IceCandidate[],
      dtlsParameters: params.dtlsParameters as unknown as types.DtlsParameters,
      iceServers: params.iceServers as RTCIceServer[],
    });
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.ok('transport:connect', { transportId: transport.id, dtlsParameters }).then(() => callback(), errback);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      this.ok('media:produce', { transportId: transport.id, kind, rtpParameters, source: appData.source }).then(
        ({ producerId }) => callback({ id: producerId }),
        errback,
      );
    });
    transport.on('connectionstatechange', (state) => this.restartIceIfBroken(transport, state));
    this.sendTransport = transport;
    return transport;
  }

  /** A transport whose ICE broke (network change) gets new ICE parameters instead of a reload. */
  private restartIceIfBroken(transport: types.Transport, state: string): void {
    if ((state !== 'disconnected' && state !== 'failed') || transport.closed || !this.socket?.connected) return;
    void this.ok('transport:restart-ice', { transportId: transport.id })
      .then(({ iceParameters }) =>
        transport.restartIce({ iceParameters: iceParameters as unknown as types.IceParameters }),
      )
      .catch((e) => this.log('ice restart failed', e));
  }

  /** Simulates a dropped connection: the socket.io client reconnects by itself. */
  dropConnection(): void {
    this.socket?.io.engine.close();
  }

  private async screenTrack(): Promise<MediaStreamTrack> {
    try {
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: true });
      return stream.getVideoTracks()[0];
    } catch {
      // Headless Chromium has no screen to capture: a drawn canvas stands in for it.
      const canvas = document.createElement('canvas');
      canvas.width = 1280;
      canvas.height = 720;
      const context = canvas.getContext('2d')!;
      let frame = 0;
      setInterval(() => {
        frame += 1;
        context.fillStyle = `hsl(${frame % 360}, 60%, 50%)`;
        context.fillRect(0, 0, 1280, 720);
        context.fillStyle = '#fff';
        context.font = '64px sans-serif';
        context.fillText(`screen ${frame}`, 100, 360);
      }, 50);
      return canvas.captureStream(20).getVideoTracks()[0];
    }
  }

  /** Publishes the given sources; returns producer ids by source. */
  async publish(sources: Array<'camera' | 'mic' | 'screen'>): Promise<Record<string, string>> {
    const transport = await this.ensureSendTransport();
    const ids: Record<string, string> = {};
    for (const source of sources) {
      let track = this.published.get(source);
      if (!track || track.readyState === 'ended') {
        if (source === 'screen') track = await this.screenTrack();
        else {
          const stream = await navigator.mediaDevices.getUserMedia(
            source === 'mic' ? { audio: true } : { video: { width: 1280, height: 720 } },
          );
          track = stream.getTracks()[0];
        }
        this.published.set(source, track);
      }
      const producer = await transport.produce({
        track,
        stopTracks: false,
        appData: { source },
        encodings:
          source === 'camera'
            ? [
                { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
                { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 400_000 },
                { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
              ]
            : undefined,
        codecOptions: source === 'camera' ? { videoGoogleStartBitrate: 1000 } : undefined,
      });
      this.producers.set(source, producer);
      ids[source] = producer.id;
    }
    return ids;
  }

  private unpublishAll(): void {
    for (const producer of this.producers.values()) producer.close();
    this.producers.clear();
    this.published.clear();
    this.sendTransport?.close();
    this.sendTransport = undefined;
  }

  async consume(info: ProducerInfo): Promise<void> {
    if (!this.recvTransport || !this.device) return;
    const ack = await this.request('media:consume', {
      transportId: this.recvTransport.id,
      producerId: info.producerId,
      rtpCapabilities: this.device.rtpCapabilities,
    });
    if (!ack.ok) {
      this.log('consume refused', ack.error.code);
      return;
    }
    const consumer = await this.recvTransport.consume({
      id: ack.data.consumerId,
      producerId: ack.data.producerId,
      kind: ack.data.kind,
      rtpParameters: ack.data.rtpParameters as unknown as types.RtpParameters,
    });
    const element = document.createElement(consumer.kind === 'video' ? 'video' : 'audio');
    element.autoplay = true;
    element.muted = true;
    element.srcObject = new MediaStream([consumer.track]);
    document.body.appendChild(element);
    void element.play().catch(() => undefined);
    this.consumers.set(consumer.id, { consumer, info: ack.data, element });
    this.mark('consumer-created');
    await this.ok('media:consumer-resume', { consumerId: consumer.id });
    this.mark('consumer-resumed');
  }

  private dropConsumer(consumerId: string): void {
    const entry = this.consumers.get(consumerId);
    if (!entry) return;
    entry.consumer.close();
    entry.element?.remove();
    this.consumers.delete(consumerId);
  }

  /** The server rebuilt the room's media (worker died): new transports, publish again. */
  private async restartMedia(notice: MediaRestartNotice): Promise<void> {
    const republish = [...this.producers.keys()];
    for (const id of [...this.consumers.keys()]) this.dropConsumer(id);
    for (const producer of this.producers.values()) producer.close();
    this.producers.clear();
    this.sendTransport?.close();
    this.sendTransport = undefined;
    this.recvTransport?.close();
    this.recvTransport = undefined;
    this.events.push({ event: 'client-media-restarting', payload: republish, at: performance.now() - this.t0 });
    await this.createRecvTransport();
    // The producers did not change (nothing announces them again): consume the known ones anew, as the web client does.
    for (const info of [...this.known.values()]) await this.consume(info);
    if (republish.length) await this.publish(republish);
    void notice;
  }

  /** After a socket reconnect: join again and restore media. */
  private async rejoin(): Promise<void> {
    if (!this.sessionId) return;
    const republish = [...this.producers.keys()];
    for (const id of [...this.consumers.keys()]) this.dropConsumer(id);
    this.producers.clear();
    this.sendTransport?.close();
    this.sendTransport = undefined;
    this.recvTransport?.close();
    this.recvTransport = undefined;
    // A refused join (the session moving between nodes, a node not answering) is tried again, as the web client does.
    let ack = await this.request('room:join', { sessionId: this.sessionId });
    for (let attempt = 0; !ack.ok && attempt < 40 && this.socket?.connected; attempt += 1) {
      if (!['ROOM_ON_OTHER_NODE', 'UNAVAILABLE', 'INTERNAL'].includes(ack.error.code)) break;
      await new Promise((resolve) => setTimeout(resolve, 300));
      ack = await this.request('room:join', { sessionId: this.sessionId });
    }
    if (!ack.ok) {
      this.log('rejoin refused', ack.error.code);
      return;
    }
    this.joined = ack.data;
    this.events.push({ event: 'client-rejoined', payload: null, at: performance.now() - this.t0 });
    await this.setupMedia(ack.data.routerRtpCapabilities, ack.data.producers);
    if (republish.length) await this.publish(republish);
  }

  async stats(): Promise<ConsumerStats[]> {
    const result: ConsumerStats[] = [];
    for (const { consumer, info } of this.consumers.values()) {
      const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc ?? -1;
      const report = await consumer.getStats();
      let match: Record<string, number> | undefined;
      let inboundOfKind = 0;
      report.forEach((entry: Record<string, unknown>) => {
        if (entry.type !== 'inbound-rtp' || entry.kind !== consumer.kind) return;
        inboundOfKind += 1;
        // The probator receiver (ssrc 1234) is also inbound-rtp video: match the consumer's ssrc.
        if (entry.ssrc === ssrc) match = entry as Record<string, number>;
      });
      result.push({
        consumerId: consumer.id,
        producerId: info.producerId,
        peerId: info.peerId,
        kind: consumer.kind,
        source: info.source,
        ssrc,
        framesDecoded: match?.framesDecoded ?? 0,
        packetsReceived: match?.packetsReceived ?? 0,
        frameWidth: match?.frameWidth ?? 0,
        inboundOfKind,
      });
    }
    return result;
  }

  /** Resolves with ms since connect() when the first video frame has been decoded. */
  async firstFrame(timeoutMs = 15_000): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const stats = await this.stats();
      if (stats.some((s) => s.kind === 'video' && s.framesDecoded > 0)) {
        this.mark('first-frame');
        return this.marks['first-frame'];
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('no decoded video frame');
  }

  eventsNamed(name: string): unknown[] {
    return this.events.filter((e) => e.event === name).map((e) => e.payload);
  }

  get connected(): boolean {
    return !!this.socket?.connected;
  }

  close(): void {
    this.socket?.close();
  }
}

declare global {
  interface Window {
    liveTest: LiveTestClient;
  }
}

window.liveTest = new LiveTestClient();
