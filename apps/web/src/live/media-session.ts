/**
 * One generation of the room's media: a mediasoup-client Device, the send and
 * receive transports, our producers and the consumers of everyone else's.
 * After a reconnect or a `media:restart` the LiveClient throws the whole
 * session away and builds a new one; a session is never reused after close().
 * It reports what happened through callbacks and never touches the UI state.
 */
import { Device } from 'mediasoup-client';
import type { types as ms } from 'mediasoup-client';
import { ClientEvent } from '@balai/live-contract/events';
import type {
  IceServer,
  MediaSource,
  ProducerInfo,
  RtpCapabilities,
  TransportCreateResult,
} from '@balai/live-contract';
import { pageHandlerFactory } from './native-capabilities';
import type { Signalling } from './signalling';
import type { RemoteMedia } from './room-state';

const CAMERA_ENCODINGS: ms.RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
];

export interface MediaSessionEvents {
  consumerAdded(media: RemoteMedia): void;
  consumerRemoved(consumerId: string): void;
  producerEnded(source: MediaSource): void;
  /** A transport's ICE/DTLS state changed (for the "no media" watchdog and the ICE restart). */
  transportState(direction: 'send' | 'recv', state: ms.ConnectionState): void;
}

/** What one inbound stream measured, from the consumer's own SSRC (never the probator's). */
export interface InboundSample {
  consumerId: string;
  peerId: string;
  source: MediaSource;
  kind: 'audio' | 'video';
  ssrc?: number;
  packetsReceived: number;
  packetsLost: number;
  jitter: number;
  framesDecoded: number;
  /** Seconds spent decoding framesDecoded frames (video). */
  totalDecodeTime?: number;
  framesPerSecond?: number;
  freezeCount: number;
  frameWidth?: number;
  concealedSamples?: number;
  totalSamplesReceived?: number;
}

/** RTCRtpReceiver.jitterBufferTarget (ms, Chromium 123+), else the older playoutDelayHint (seconds). */
function applyPlayoutDelay(consumer: ms.Consumer, ms: number): void {
  const receiver = consumer.rtpReceiver as RTCRtpReceiver | undefined;
  if (!receiver) return;
  try {
    if ('jitterBufferTarget' in receiver) receiver.jitterBufferTarget = ms || null;
    else (receiver as { playoutDelayHint?: number | null }).playoutDelayHint = ms ? ms / 1000 : null;
  } catch {
    /* not supported here: the default buffer stays */
  }
}

export class MediaSession {
  private device: Device | null = null;
  private sendTransport: ms.Transport | null = null;
  private recvTransport: ms.Transport | null = null;
  private readonly consumers = new Map<string, ms.Consumer>();
  private readonly producers = new Map<MediaSource, ms.Producer>();
  /** The send transport being created (one request for all publishes that wait for it). */
  private sendTransportPending: Promise<ms.Transport> | null = null;
  /** Publishes run one after another (see publish()). */
  private publishQueue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** The jitter buffer target for audio consumers (ms; 0: the browser's default). */
  private audioPlayoutDelayMs = 0;
  /** The same for video consumers (quality-monitor.ts videoPlayoutDelayMs). */
  private videoPlayoutDelayMs = 0;

  constructor(
    private readonly signalling: Pick<Signalling, 'request' | 'connected'>,
    private readonly events: MediaSessionEvents,
  ) {}

  /** Device loaded and the receive transport open: publishing and consuming can start. */
  get ready(): boolean {
    return !this.closed && !!this.device && !!this.recvTransport;
  }

  /**
   * Loads the Device (throws mediasoup-client's UnsupportedError on a browser without WebRTC) and opens
   * the receive transport; with `willPublish` the send transport too, at the same time (one round trip
   * less before a re-publish after a media restart).
   */
  async start(
    routerRtpCapabilities: RtpCapabilities,
    iceServers: IceServer[],
    willPublish = false,
    recvTransport?: TransportCreateResult,
  ): Promise<void> {
    // The receive transport came with room:join, or is asked for while the Device loads (a slow phone's CPU
    // and the round trip overlap).
    const recvInfo = recvTransport
      ? Promise.resolve(recvTransport)
      : this.signalling.request(ClientEvent.TransportCreate, { direction: 'recv' });
    recvInfo.catch(() => undefined);
    // The browser's own capabilities were asked on "Kelas saya" already (native-capabilities.ts).
    const handlerFactory = pageHandlerFactory();
    const device = handlerFactory ? new Device({ handlerFactory }) : new Device();
    await device.load({ routerRtpCapabilities });
    if (this.closed) return;
    this.device = device;
    const sending = willPublish ? this.ensureSendTransport().catch(() => undefined) : undefined;
    this.recvTransport = await this.createTransport('recv', iceServers, recvInfo);
    await sending;
  }

  recvConnectionState(): ms.ConnectionState | null {
    return this.recvTransport?.connectionState ?? null;
  }

  hasConsumers(): boolean {
    return this.consumers.size > 0;
  }

  private async createTransport(
    direction: 'send' | 'recv',
    iceServers: IceServer[],
    asked?: Promise<TransportCreateResult>,
  ): Promise<ms.Transport> {
    const info = await (asked ?? this.signalling.request(ClientEvent.TransportCreate, { direction }));
    const options: ms.TransportOptions = {
      id: info.id,
      iceParameters: info.iceParameters,
      iceCandidates: info.iceCandidates,
      dtlsParameters: info.dtlsParameters,
      iceServers: info.iceServers?.length ? info.iceServers : iceServers,
    };
    const transport =
      direction === 'send' ? this.device!.createSendTransport(options) : this.device!.createRecvTransport(options);
    if (this.closed) {
      transport.close();
      throw new Error('media session closed');
    }
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.signalling
        .request(ClientEvent.TransportConnect, { transportId: transport.id, dtlsParameters })
        .then(() => callback(), errback);
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        const source = (appData as { source: MediaSource }).source;
        this.signalling
          .request(ClientEvent.Produce, { transportId: transport.id, kind, source, rtpParameters })
          .then(({ producerId }) => callback({ id: producerId }), errback);
      });
    }
    transport.on('connectionstatechange', (state) => {
      this.events.transportState(direction, state);
      if (state === 'disconnected' || state === 'failed') void this.restartIce(transport);
    });
    return transport;
  }

  /** Ask the server for fresh ICE parameters (a changed network path) on one or all transports. */
  async restartIce(transport?: ms.Transport): Promise<void> {
    const targets = transport ? [transport] : [this.recvTransport, this.sendTransport];
    for (const t of targets) {
      if (!t || t.closed || this.closed || !this.signalling.connected) continue;
      try {
        const { iceParameters } = await this.signalling.request(ClientEvent.TransportRestartIce, { transportId: t.id });
        await t.restartIce({ iceParameters });
      } catch {
        /* the reconnect path rebuilds everything */
      }
    }
  }

  async consume(p: ProducerInfo): Promise<void> {
    const transport = this.recvTransport;
    const device = this.device;
    if (!transport || !device || this.closed) return;
    if ([...this.consumers.values()].some((c) => c.producerId === p.producerId)) return;
    const r = await this.signalling.request(ClientEvent.Consume, {
      transportId: transport.id,
      producerId: p.producerId,
      rtpCapabilities: device.recvRtpCapabilities,
    });
    if (this.closed) return;
    const consumer = await transport.consume({
      id: r.consumerId,
      producerId: r.producerId,
      kind: r.kind,
      rtpParameters: r.rtpParameters,
      appData: { peerId: r.peerId, source: r.source },
    });
    this.consumers.set(consumer.id, consumer);
    const delay = consumer.kind === 'audio' ? this.audioPlayoutDelayMs : this.videoPlayoutDelayMs;
    if (delay) applyPlayoutDelay(consumer, delay);
    consumer.on('trackended', () => this.removeConsumer(consumer.id));
    consumer.on('transportclose', () => this.removeConsumer(consumer.id));
    this.events.consumerAdded({
      consumerId: consumer.id,
      producerId: r.producerId,
      peerId: r.peerId,
      kind: r.kind,
      source: r.source,
      track: consumer.track,
      paused: p.paused,
    });
    await this.signalling.request(ClientEvent.ConsumerResume, { consumerId: consumer.id });
  }

  /** Set the audio jitter buffer target of every audio consumer, now and later (quality-monitor.ts). */
  setAudioPlayoutDelay(ms: number): void {
    this.audioPlayoutDelayMs = ms;
    for (const c of this.consumers.values()) if (c.kind === 'audio' && !c.closed) applyPlayoutDelay(c, ms);
  }

  /** Set the video jitter buffer target of every video consumer, now and later (a lossy link: #10 freezes). */
  setVideoPlayoutDelay(ms: number): void {
    this.videoPlayoutDelayMs = ms;
    for (const c of this.consumers.values()) if (c.kind === 'video' && !c.closed) applyPlayoutDelay(c, ms);
  }

  /** Close the consumers of one producer (it went away on the server). */
  dropProducer(producerId: string): void {
    for (const c of [...this.consumers.values()]) if (c.producerId === producerId) this.removeConsumer(c.id);
  }

  removeConsumer(consumerId: string): void {
    const c = this.consumers.get(consumerId);
    if (!c) return;
    if (!c.closed) c.close();
    this.consumers.delete(consumerId);
    this.events.consumerRemoved(consumerId);
  }

  /**
   * Publish (or replace the track of) one source; resolves with the producer id.
   *
   * Publishes are serialised (#10): the microphone and the camera re-published
   * together after a media restart used to create two send transports at once,
   * and the server, which keeps one send transport per peer, closed the first
   * (usually the microphone's) while it was still connecting, so that producer
   * failed with "unknown transport" and nobody heard the trainer. One at a time,
   * each publish sees the transport and the producers the previous one left.
   */
  publish(source: MediaSource, track: MediaStreamTrack): Promise<string> {
    const run = this.publishQueue.then(
      () => this.publishNow(source, track),
      () => this.publishNow(source, track),
    );
    this.publishQueue = run.catch(() => undefined);
    return run;
  }

  private async publishNow(source: MediaSource, track: MediaStreamTrack): Promise<string> {
    if (!this.device || this.closed) throw new Error('media not ready');
    const old = this.producers.get(source);
    if (old && !old.closed) {
      await old.replaceTrack({ track });
      return old.id;
    }
    const transport = await this.ensureSendTransport();
    const producer = await transport.produce({
      track,
      encodings: source === 'camera' ? CAMERA_ENCODINGS : undefined,
      codecOptions: source === 'mic' ? { opusDtx: true, opusFec: true } : { videoGoogleStartBitrate: 800 },
      appData: { source },
      stopTracks: false,
    });
    if (this.closed) {
      producer.close();
      throw new Error('media session closed');
    }
    this.producers.set(source, producer);
    producer.on('trackended', () => this.events.producerEnded(source));
    return producer.id;
  }

  /** The open send transport, created once; a closed one (failed DTLS, replaced) is created afresh. */
  private async ensureSendTransport(): Promise<ms.Transport> {
    if (this.sendTransport && !this.sendTransport.closed) return this.sendTransport;
    if (!this.sendTransportPending) {
      this.sendTransportPending = this.createTransport('send', []).then(
        (t) => {
          this.sendTransport = t;
          this.sendTransportPending = null;
          return t;
        },
        (e: unknown) => {
          this.sendTransportPending = null;
          throw e;
        },
      );
    }
    return this.sendTransportPending;
  }

  /** Close our producer of `source` locally; returns its id so the server can be told. */
  closeProducer(source: MediaSource): string | null {
    const producer = this.producers.get(source);
    this.producers.delete(source);
    if (!producer) return null;
    if (!producer.closed) producer.close();
    return producer.id;
  }

  sourceOfProducer(producerId: string): MediaSource | null {
    for (const [source, p] of this.producers) if (p.id === producerId) return source;
    return null;
  }

  /** Per-consumer inbound stats from the consumer's SSRC, plus the selected candidate pair's RTT. */
  async inbound(): Promise<{ streams: InboundSample[]; rttMs: number | null; availableBitrate?: number }> {
    const streams: InboundSample[] = [];
    for (const c of this.consumers.values()) {
      if (c.closed) continue;
      const ssrc = c.rtpParameters.encodings?.[0]?.ssrc;
      const appData = c.appData as { peerId: string; source: MediaSource };
      const sample: InboundSample = {
        consumerId: c.id,
        peerId: appData.peerId,
        source: appData.source,
        kind: c.kind,
        ssrc,
        packetsReceived: 0,
        packetsLost: 0,
        jitter: 0,
        framesDecoded: 0,
        freezeCount: 0,
      };
      try {
        (await c.getStats()).forEach((s: Record<string, unknown>) => {
          if (s.type !== 'inbound-rtp' || s.kind !== c.kind || (ssrc !== undefined && s.ssrc !== ssrc)) return;
          sample.packetsReceived = Number(s.packetsReceived ?? 0);
          sample.packetsLost = Math.max(0, Number(s.packetsLost ?? 0));
          sample.jitter = Number(s.jitter ?? 0);
          sample.framesDecoded = Number(s.framesDecoded ?? 0);
          sample.totalDecodeTime = typeof s.totalDecodeTime === 'number' ? s.totalDecodeTime : undefined;
          sample.framesPerSecond = typeof s.framesPerSecond === 'number' ? s.framesPerSecond : undefined;
          sample.freezeCount = Number(s.freezeCount ?? 0);
          sample.frameWidth = typeof s.frameWidth === 'number' ? s.frameWidth : undefined;
          sample.concealedSamples = typeof s.concealedSamples === 'number' ? s.concealedSamples : undefined;
          sample.totalSamplesReceived = typeof s.totalSamplesReceived === 'number' ? s.totalSamplesReceived : undefined;
        });
      } catch {
        continue;
      }
      streams.push(sample);
    }
    // The receive side's path first; a trainer who receives nothing still has the send side's.
    const recv = await this.path(this.recvTransport);
    const rttMs = recv.rttMs ?? (await this.path(this.sendTransport)).rttMs;
    return { streams, rttMs, availableBitrate: recv.availableBitrate };
  }

  /** The receive path's round trip (ms) as ICE measured it, or null before it is connected. */
  async recvPathRttMs(): Promise<number | null> {
    return (await this.path(this.recvTransport)).rttMs;
  }

  /** A transport's nominated ICE candidate pair: round trip, and the incoming bitrate estimate. */
  private async path(transport: ms.Transport | null): Promise<{ rttMs: number | null; availableBitrate?: number }> {
    let rttMs: number | null = null;
    let availableBitrate: number | undefined;
    if (!transport || transport.closed) return { rttMs };
    try {
      (await transport.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
          if (typeof s.currentRoundTripTime === 'number') rttMs = s.currentRoundTripTime * 1000;
          if (typeof s.availableIncomingBitrate === 'number') availableBitrate = s.availableIncomingBitrate;
        }
      });
    } catch {
      /* no transport stats this time */
    }
    return availableBitrate === undefined ? { rttMs } : { rttMs, availableBitrate };
  }

  close(): void {
    this.closed = true;
    for (const c of this.consumers.values()) if (!c.closed) c.close();
    this.consumers.clear();
    for (const p of this.producers.values()) if (!p.closed) p.close();
    this.producers.clear();
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = null;
    this.recvTransport = null;
  }
}
