/**
 * A peer's mediasoup objects in a room: WebRTC transports, producers and
 * consumers, and the server-side choice of simulcast layers per consumer.
 * Permission to publish is checked here, on the server, for every produce.
 */
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { types } from 'mediasoup';
import { randomUUID } from 'node:crypto';
import {
  ClientAckData,
  ConsumeResult,
  LiveErrorCode,
  MediaSource,
  ParsedClientPayload,
  ProducerClosedReason,
  ServerEvent,
  TransportCreateResult,
} from '@balai/live-contract';
import type { LiveAppEnv } from '../config/live-config';
import type { Peer } from '../rooms/peer';
import type { Room } from '../rooms/room';
import { badState, forbidden, LiveException, notFound } from '../signalling/live.exception';
import { RoomNotifier } from '../signalling/room-notifier.service';
import { TurnCredentialsService } from '../turn/turn-credentials.service';
import { chooseLayers } from './layer-policy';
import { withAudioNack } from './media.config';
import { closeProducerFor, closeReasonOf } from './producer-close-reason';
import { watchTransportLiveness } from './media-liveness';
import { WorkerPoolService } from './worker-pool.service';

const failureLogger = new Logger('MediaService');
/** mediasoup's lowest allowed outgoing cap (TransportCongestionControlMinOutgoingBitrate). */
const AUDIO_ONLY_MAX_OUTGOING_BITRATE = 30_000;

/**
 * mediasoup rejects bad parameters by throwing; the client hears MEDIA_ERROR
 * with a stable message and an error id, never mediasoup's own text (which is
 * logged with that id).
 */
async function media<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof LiveException) throw error;
    const errorId = randomUUID();
    failureLogger.warn({ err: error, errorId, what }, 'mediasoup refused');
    throw new LiveException(LiveErrorCode.MediaError, `${what} failed`, { errorId });
  }
}

@Injectable()
export class MediaService {
  private readonly logger = new Logger(MediaService.name);

  constructor(
    private readonly pool: WorkerPoolService,
    private readonly notifier: RoomNotifier,
    private readonly config: ConfigService<LiveAppEnv, true>,
    private readonly turn: TurnCredentialsService,
  ) {}

  /** Static ICE servers plus a fresh TURN credential for this peer (apps/live/src/turn). */
  private iceServers(peer: Peer) {
    return this.turn.iceServersFor(peer.userId);
  }

  async createTransport(
    room: Room,
    peer: Peer,
    input: ParsedClientPayload<'transport:create'>,
  ): Promise<TransportCreateResult> {
    if (input.direction === 'send' && !peer.isStaff && !peer.canSpeak && !peer.canCamera) {
      throw forbidden('participants send only after being invited to speak');
    }
    // One transport per direction: a new one (after a failed ICE restart) replaces the old.
    for (const [id, existing] of peer.transports) {
      if (existing.appData.direction === input.direction) {
        existing.close();
        peer.transports.delete(id);
      }
    }
    // Sending is always into the origin; receiving goes where the cascade places the viewer.
    const placed =
      input.direction === 'recv'
        ? await media('placing the viewer', () =>
            room.cascade.placeReceiver(peer.peerId, room.expectedConsumers(peer), peer.isStaff),
          )
        : undefined;
    const router = placed?.router ?? room.router;
    let transport: types.WebRtcTransport;
    try {
      transport = await media('creating the transport', () =>
        router.createWebRtcTransport({
          listenInfos: this.pool.listenInfos().filter((info) => !input.forceTcp || info.protocol === 'tcp'),
          enableUdp: !input.forceTcp,
          enableTcp: true,
          preferUdp: true,
          initialAvailableOutgoingBitrate: 1_000_000,
          appData: { peerId: peer.peerId, direction: input.direction, routerId: router.id },
        }),
      );
    } catch (error) {
      placed?.release();
      throw error;
    }
    if (placed) transport.observer.once('close', placed.release);
    peer.transports.set(transport.id, transport);
    transport.on('dtlsstatechange', (state) => {
      if (state === 'failed' || state === 'closed') transport.close();
    });
    // Media gone for good while the socket may still look alive: treat it as a dropped connection.
    watchTransportLiveness(transport, this.config.get('LIVE_MEDIA_DROP_SECONDS', { infer: true }) * 1000, () => {
      this.logger.warn(
        { peerId: peer.peerId, transportId: transport.id },
        'media transport lost; dropping the connection',
      );
      if (peer.socket.connected) peer.socket.disconnect(true);
    });
    transport.observer.once('close', () => {
      if (peer.transports.get(transport.id) === transport) peer.transports.delete(transport.id);
    });
    if (input.direction === 'send') await transport.setMaxIncomingBitrate(3_000_000).catch(() => undefined);
    else await this.capForAudioOnly(peer, transport);
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
      iceServers: this.iceServers(peer),
    };
  }

  private transportOf(peer: Peer, transportId: string, direction?: 'send' | 'recv'): types.WebRtcTransport {
    const transport = peer.transports.get(transportId);
    if (!transport || transport.closed) throw notFound('unknown transport');
    if (direction && transport.appData.direction !== direction) throw badState(`not a ${direction} transport`);
    return transport;
  }

  async connectTransport(
    peer: Peer,
    input: ParsedClientPayload<'transport:connect'>,
  ): Promise<ClientAckData['transport:connect']> {
    const transport = this.transportOf(peer, input.transportId);
    if (transport.dtlsState !== 'new') throw badState('transport already connected');
    await media('connecting the transport', () =>
      transport.connect({ dtlsParameters: input.dtlsParameters as types.DtlsParameters }),
    );
    return {};
  }

  async restartIce(
    peer: Peer,
    input: ParsedClientPayload<'transport:restart-ice'>,
  ): Promise<ClientAckData['transport:restart-ice']> {
    const transport = this.transportOf(peer, input.transportId);
    const iceParameters = await media('restarting ICE', () => transport.restartIce());
    return { iceParameters };
  }

  async produce(
    room: Room,
    peer: Peer,
    input: ParsedClientPayload<'media:produce'>,
  ): Promise<ClientAckData['media:produce']> {
    if (!peer.mayPublish(input.source)) throw forbidden(`you may not publish ${input.source}`);
    const transport = this.transportOf(peer, input.transportId, 'send');
    const producer = await this.attachProducer(room, peer, transport, {
      kind: input.kind,
      source: input.source,
      rtpParameters: input.rtpParameters as unknown as types.RtpParameters,
    });
    return { producerId: producer.id };
  }

  /** A producer of `peer` on `transport`, announced to the room (transport agnostic, see attachConsumer). */
  async attachProducer(
    room: Room,
    peer: Peer,
    transport: types.Transport,
    input: { kind: 'audio' | 'video'; source: MediaSource; rtpParameters: types.RtpParameters },
  ): Promise<types.Producer> {
    if (peer.producerBySource(input.source)) throw badState(`${input.source} is already published; close it first`);
    const producer = await media('producing', () =>
      transport.produce({
        kind: input.kind,
        rtpParameters: input.rtpParameters,
        appData: { peerId: peer.peerId, source: input.source },
      }),
    );
    peer.producers.set(producer.id, { producer, source: input.source });
    if (room.edge) {
      // An edge's publisher: the owner takes the producer into its origin before anyone is told of it.
      const edge = room.edge;
      await edge.published(peer, producer).catch((error: unknown) => {
        peer.producers.delete(producer.id);
        producer.close();
        this.logger.warn({ err: error, owner: edge.ownerNodeId }, 'the owner node did not take an edge producer');
        throw new LiveException(LiveErrorCode.Unavailable, 'the live node hosting this session did not answer');
      });
    }
    const router = room.router;
    producer.observer.once('close', () => {
      peer.producers.delete(producer.id);
      // A closed router means the room is closing or its worker died: the latter is
      // announced as media:restart only, so no client mistakes it for moderation.
      if (room.closed || router.closed) return;
      const reason = closeReasonOf(producer);
      this.notifier.toRoom(room.sessionId, ServerEvent.ProducerClosed, { producerId: producer.id, reason });
    });
    if (producer.kind === 'audio') {
      await room.speakerObserver.addProducer({ producerId: producer.id }).catch(() => undefined);
    }
    this.notifier.toRoom(
      room.sessionId,
      ServerEvent.ProducerNew,
      {
        producerId: producer.id,
        peerId: peer.peerId,
        kind: producer.kind,
        source: input.source,
        paused: producer.paused,
      },
      peer.socket,
    );
    return producer;
  }

  closeProducer(peer: Peer, producerId: string): void {
    const entry = peer.producers.get(producerId);
    if (!entry) throw notFound('unknown producer');
    entry.producer.close();
  }

  /** Closes the peer's producers of the given sources (moderation, revoked speech). */
  closeSources(
    peer: Peer,
    sources: Array<'mic' | 'camera' | 'screen'>,
    reason: ProducerClosedReason = 'moderation',
  ): string[] {
    const closed: string[] = [];
    for (const { producer, source } of [...peer.producers.values()]) {
      if (sources.includes(source)) {
        closeProducerFor(producer, reason);
        closed.push(producer.id);
      }
    }
    return closed;
  }

  async consume(room: Room, peer: Peer, input: ParsedClientPayload<'media:consume'>): Promise<ConsumeResult> {
    const transport = this.transportOf(peer, input.transportId, 'recv');
    const capabilities = withAudioNack(input.rtpCapabilities as unknown as types.RtpCapabilities);
    return this.attachConsumer(room, peer, transport, input.producerId, capabilities);
  }

  /**
   * A paused consumer of `producerId` for `peer` on `transport`, with layers
   * chosen by the layer policy and its events relayed to the peer. Transport
   * agnostic: the SFU bench drives it with PlainTransports.
   */
  async attachConsumer(
    room: Room,
    peer: Peer,
    transport: types.Transport,
    producerId: string,
    rtpCapabilities: types.RtpCapabilities,
  ): Promise<ConsumeResult> {
    const router = room.cascade.routerOf(transport);
    if (!router || router.closed) throw badState('your receive transport is gone; create it again');
    const owner = await this.producerToConsume(room, peer, producerId);
    let released = false;
    const release = () => {
      if (released || !owner.remote) return;
      released = true;
      room.edge?.release(producerId);
    };
    try {
      return await this.consumeOn(room, peer, transport, router, owner, producerId, rtpCapabilities, release);
    } catch (error) {
      release();
      throw error;
    }
  }

  /**
   * The producer's owner and source: in this room, or (an edge room) on the
   * owner node, piped into this node's origin for as long as a local consumer
   * needs it (`remote`: release it when the consumer goes).
   */
  private async producerToConsume(
    room: Room,
    peer: Peer,
    producerId: string,
  ): Promise<{ peerId: string; kind: types.MediaKind; source: MediaSource; remote: boolean }> {
    const local = room.findProducerOwner(producerId);
    if (local) {
      if (local.peer === peer) throw badState('cannot consume your own producer');
      if (peer.audioOnly && local.producer.kind === 'video') throw badState('audio-only mode: video is not sent');
      return { peerId: local.peer.peerId, kind: local.producer.kind, source: local.source, remote: false };
    }
    if (!room.edge) throw notFound('unknown producer');
    const edge = room.edge;
    const remote = await edge.acquire(producerId).catch((error: unknown) => {
      this.logger.warn({ err: error, producerId, owner: edge.ownerNodeId }, 'the owner node did not pipe a producer');
      throw notFound('unknown producer');
    });
    const fail = (error: LiveException) => {
      edge.release(producerId);
      return error;
    };
    if (remote.peerId === peer.peerId) throw fail(badState('cannot consume your own producer'));
    if (peer.audioOnly && remote.producer.kind === 'video') throw fail(badState('audio-only mode: video is not sent'));
    return { peerId: remote.peerId, kind: remote.producer.kind, source: remote.source, remote: true };
  }

  private async consumeOn(
    room: Room,
    peer: Peer,
    transport: types.Transport,
    router: types.Router,
    owner: { peerId: string; source: MediaSource },
    producerId: string,
    rtpCapabilities: types.RtpCapabilities,
    release: () => void,
  ): Promise<ConsumeResult> {
    // On a fan-out the producer is piped from the origin when its first consumer there needs it.
    await media('piping the producer', () => room.cascade.ensureProducer(router, producerId));
    const canConsume = (() => {
      try {
        return router.canConsume({ producerId, rtpCapabilities });
      } catch {
        return false;
      }
    })();
    if (!canConsume) throw new LiveException(LiveErrorCode.MediaError, 'your device cannot receive this media');
    const state = { viewport: undefined, pausedForAudioOnly: false, source: owner.source };
    const layers = chooseLayers(state.viewport, peer.link.level);
    const consumer = await media('consuming', () =>
      transport.consume({
        producerId,
        rtpCapabilities,
        paused: true,
        // Retransmissions for audio too (mediasoup's default is video only): see withAudioNack.
        enableRtx: true,
        preferredLayers: owner.source === 'camera' ? layers : undefined,
        appData: { peerId: peer.peerId },
      }),
    );
    peer.consumers.set(consumer.id, { consumer, ...state });
    const forget = () => peer.consumers.delete(consumer.id);
    consumer.observer.once('close', () => {
      forget();
      release();
    });
    consumer.on('producerclose', () => {
      // Media being rebuilt after a worker death forgot it already: media:restart says it all.
      if (peer.consumers.get(consumer.id)?.consumer !== consumer) return;
      forget();
      this.notifier.toSocket(peer.socket, ServerEvent.ConsumerClosed, { consumerId: consumer.id, producerId });
    });
    consumer.on('producerpause', () =>
      this.notifier.toSocket(peer.socket, ServerEvent.ProducerPaused, { producerId, paused: true }),
    );
    consumer.on('producerresume', () =>
      this.notifier.toSocket(peer.socket, ServerEvent.ProducerPaused, { producerId, paused: false }),
    );
    consumer.on('layerschange', (current) => {
      if (current) {
        this.notifier.toSocket(peer.socket, ServerEvent.ConsumerLayers, {
          consumerId: consumer.id,
          spatialLayer: current.spatialLayer,
          temporalLayer: current.temporalLayer ?? 0,
        });
      }
    });
    return {
      consumerId: consumer.id,
      producerId,
      peerId: owner.peerId,
      kind: consumer.kind,
      source: owner.source,
      rtpParameters: consumer.rtpParameters,
      paused: true,
    };
  }

  async resumeConsumer(peer: Peer, consumerId: string): Promise<ClientAckData['media:consumer-resume']> {
    const state = peer.consumers.get(consumerId);
    if (!state) throw notFound('unknown consumer');
    if (state.pausedForAudioOnly) return {};
    await media('resuming', () => state.consumer.resume());
    if (state.consumer.kind === 'video') await state.consumer.requestKeyFrame().catch(() => undefined);
    return {};
  }

  async reportViewport(
    peer: Peer,
    input: ParsedClientPayload<'media:report-viewport'>,
  ): Promise<ClientAckData['media:report-viewport']> {
    const state = peer.consumers.get(input.consumerId);
    if (!state) throw notFound('unknown consumer');
    if (state.consumer.kind !== 'video') throw badState('viewport applies to video consumers');
    state.viewport = { width: input.width, height: input.height };
    const layers = chooseLayers(state.viewport, peer.link.level);
    if (state.consumer.type === 'simulcast')
      await media('setting layers', () => state.consumer.setPreferredLayers(layers));
    return { consumerId: input.consumerId, ...layers };
  }

  /**
   * The viewer's own measurements drive its layer cap (with hysteresis, see
   * layer-policy.ts) and the audio-only suggestion. Layers are re-applied only
   * when the link level changes, so a link at the edge does not flap.
   */
  async reportNetwork(
    peer: Peer,
    input: ParsedClientPayload<'media:report-network'>,
  ): Promise<ClientAckData['media:report-network']> {
    const receivingVideo = [...peer.consumers.values()].some(
      (state) => state.consumer.kind === 'video' && !state.consumer.paused,
    );
    const decision = peer.link.report(input, Date.now(), { receivingVideo, audioOnly: peer.audioOnly });
    if (decision.changed) {
      for (const state of peer.consumers.values()) {
        if (state.consumer.kind === 'video' && state.consumer.type === 'simulcast') {
          await state.consumer.setPreferredLayers(chooseLayers(state.viewport, decision.level)).catch(() => undefined);
        }
      }
    }
    if (decision.suggestAudioOnly)
      this.notifier.toSocket(peer.socket, ServerEvent.AudioOnlySuggested, { quality: input.quality });
    return { suggestAudioOnly: decision.suggestAudioOnly };
  }

  /** Audio-only: every video consumer of the peer is paused on the server (no video bytes sent). */
  async setAudioOnly(peer: Peer, enabled: boolean): Promise<ClientAckData['media:set-audio-only']> {
    peer.audioOnly = enabled;
    for (const transport of peer.transports.values()) await this.capForAudioOnly(peer, transport);
    for (const state of peer.consumers.values()) {
      if (state.consumer.kind !== 'video') continue;
      if (enabled && !state.pausedForAudioOnly) {
        state.pausedForAudioOnly = true;
        await state.consumer.pause().catch(() => undefined);
      } else if (!enabled && state.pausedForAudioOnly) {
        state.pausedForAudioOnly = false;
        await state.consumer.resume().catch(() => undefined);
        await state.consumer.requestKeyFrame().catch(() => undefined);
      }
    }
    return { enabled };
  }

  /**
   * While a viewer is audio-only, its receive transport may send at most the
   * minimum mediasoup allows: with no video wanted, mediasoup's congestion
   * controller would otherwise keep probing up to the initial 1 Mbit/s with
   * padding, which costs more than the audio itself on a weak link.
   */
  private async capForAudioOnly(peer: Peer, transport: types.WebRtcTransport): Promise<void> {
    if (transport.appData.direction !== 'recv') return;
    await transport.setMaxOutgoingBitrate(peer.audioOnly ? AUDIO_ONLY_MAX_OUTGOING_BITRATE : 0).catch(() => undefined);
  }
}
