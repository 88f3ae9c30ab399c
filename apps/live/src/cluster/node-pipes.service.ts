/**
 * Media between live nodes (issue 14, across nodes): a node that does not own
 * a session pipes the session's producers from the owner's origin router over
 * a pair of mediasoup PipeTransports (SRTP and RTX on; listen and announced
 * addresses from LIVE_PIPE_LISTEN_IP / LIVE_PIPE_ANNOUNCED_ADDRESS), set up
 * by request and reply over Redis pub/sub: one channel per node
 * (`<prefix>:live:node-pipe:<nodeId>`).
 *
 *   edge -> owner  open    {sessionId, ip, port, srtpParameters}  -> {transportId, ip, port, srtpParameters}
 *   edge -> owner  consume {transportId, producerId}             -> {kind, rtpParameters, paused, appData}
 *   edge -> owner  unconsume {transportId, producerId}           (the edge's last consumer of it went)
 *   edge -> owner  close   {transportId}
 *   owner -> edge  producer {transportId, producerId, state: pause | resume | close}   (event)
 *   owner -> edge  closed   {transportId}                                              (event)
 *
 * The owner answers only for sessions it hosts, only on its origin router,
 * and only for producers that exist there; everything else is an error reply.
 * Requests time out (the other node is gone) and every transport closes with
 * its router on either side, telling the other side. This service moves
 * media only: who may consume what is decided where the viewer is admitted.
 */
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { types } from 'mediasoup';
import { RedisClient } from '@balai/common';
import type { LiveAppEnv } from '../config/live-config';
import { RoomRegistry } from '../rooms/room-registry.service';
import { BusRequest, NodeBus } from './node-bus';
import { resolveNodeId } from './node-id';

type Op = 'open' | 'consume' | 'unconsume' | 'close';

interface Event {
  op: 'producer' | 'closed';
  body: { transportId: string; producerId?: string; state?: 'pause' | 'resume' | 'close' };
}

/** The edge's end of a pipe from the owner's origin router. */
export interface RemotePipe {
  readonly ownerNodeId: string;
  readonly transport: types.PipeTransport;
  /** Makes the owner's producer available on the edge router, under the same id (once per producer). */
  produce(producerId: string): Promise<types.Producer>;
  close(): void;
}

const REQUEST_TIMEOUT_MS = 5000;

@Injectable()
export class NodePipes implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(NodePipes.name);
  readonly nodeId: string;
  private readonly bus: NodeBus<Op, Event>;
  /** Owner side: transports opened for edges, by id. */
  private readonly served = new Map<
    string,
    { transport: types.PipeTransport; edge: string; sessionId: string; consumers: Map<string, types.Consumer> }
  >();
  /** Edge side: pipes from owners, by the owner's transport id. */
  private readonly pipes = new Map<
    string,
    { transport: types.PipeTransport; producers: Map<string, Promise<types.Producer>> }
  >();

  constructor(
    private readonly redis: RedisClient,
    private readonly registry: RoomRegistry,
    private readonly config: ConfigService<LiveAppEnv, true>,
  ) {
    this.nodeId = resolveNodeId(config);
    const prefix = config.get('REDIS_PREFIX', { infer: true });
    this.bus = new NodeBus<Op, Event>({
      redis,
      nodeId: this.nodeId,
      channel: (nodeId) => `${prefix}:live:node-pipe:${nodeId}`,
      timeoutMs: REQUEST_TIMEOUT_MS,
      logger: this.logger,
      serve: (request) => this.serve(request),
      notice: (event) => this.onEvent(event),
    });
  }

  onModuleInit(): void {
    this.bus.start();
  }

  onApplicationShutdown(): void {
    for (const { transport } of this.served.values()) transport.close();
    for (const { transport } of this.pipes.values()) transport.close();
    this.bus.stop();
  }

  /** Whether this node listens for pipe requests (for tests and start-up). */
  async whenReady(): Promise<void> {
    await this.bus.whenReady();
  }

  private listenInfo(): types.TransportListenInfo {
    return {
      protocol: 'udp',
      ip: this.config.get('LIVE_PIPE_LISTEN_IP', { infer: true }),
      announcedAddress: this.config.get('LIVE_PIPE_ANNOUNCED_ADDRESS', { infer: true }),
      portRange: {
        min: this.config.get('MEDIASOUP_MIN_PORT', { infer: true }),
        max: this.config.get('MEDIASOUP_MAX_PORT', { infer: true }),
      },
    };
  }

  private address(transport: types.PipeTransport): { ip: string; port: number } {
    return {
      ip: this.config.get('LIVE_PIPE_ANNOUNCED_ADDRESS', { infer: true }) ?? transport.tuple.localAddress,
      port: transport.tuple.localPort,
    };
  }

  // ---------- owner side ----------

  private async serve(request: BusRequest<Op>): Promise<Record<string, unknown>> {
    const body = request.body;
    if (request.op === 'open') {
      const room = this.registry.get(String(body.sessionId));
      // The owner pipes an edge's publishers from the edge's room (the reverse direction).
      if (!room || room.closed || (room.edge && room.edge.ownerNodeId !== request.from))
        throw new Error('this node does not host the session');
      const transport = await room.router.createPipeTransport({
        listenInfo: this.listenInfo(),
        enableRtx: true,
        enableSrtp: true,
        appData: { edge: request.from, sessionId: room.sessionId },
      });
      this.served.set(transport.id, {
        transport,
        edge: request.from,
        sessionId: room.sessionId,
        consumers: new Map(),
      });
      transport.observer.once('close', () => {
        this.served.delete(transport.id);
        void this.bus
          .notify(request.from, { op: 'closed', body: { transportId: transport.id } })
          .catch(() => undefined);
      });
      await transport.connect({
        ip: String(body.ip),
        port: Number(body.port),
        srtpParameters: body.srtpParameters as types.SrtpParameters,
      });
      return { transportId: transport.id, ...this.address(transport), srtpParameters: transport.srtpParameters };
    }
    const served = this.served.get(String(body.transportId));
    if (!served || served.edge !== request.from) throw new Error('unknown pipe transport');
    if (request.op === 'close') {
      served.transport.close();
      return {};
    }
    if (request.op === 'unconsume') {
      const consumer = served.consumers.get(String(body.producerId));
      if (consumer) {
        served.consumers.delete(String(body.producerId));
        consumer.appData.unconsumed = true;
        consumer.close();
      }
      return {};
    }
    // consume: the owner's producer, with its pause, resume and close relayed to the edge.
    const producerId = String(body.producerId);
    const owner = this.registry.get(served.sessionId)?.findProducerOwner(producerId);
    if (!owner) throw new Error('unknown producer');
    // A consumer still open from an earlier use of this producer on this pipe goes first (same SSRCs).
    const earlier = served.consumers.get(producerId);
    if (earlier) {
      earlier.appData.unconsumed = true;
      earlier.close();
    }
    const consumer = await served.transport.consume({ producerId });
    served.consumers.set(producerId, consumer);
    consumer.observer.once('close', () => {
      if (served.consumers.get(producerId) === consumer) served.consumers.delete(producerId);
    });
    const relay = (state: 'pause' | 'resume' | 'close') =>
      void this.bus
        .notify(served.edge, {
          op: 'producer',
          body: { transportId: served.transport.id, producerId, state },
        })
        .catch(() => undefined);
    consumer.observer.on('pause', () => relay('pause'));
    consumer.observer.on('resume', () => relay('resume'));
    // Closed on the edge's own request: nothing to tell it (it may have piped the producer anew meanwhile).
    consumer.observer.once('close', () => {
      if (!consumer.appData.unconsumed) relay('close');
    });
    return {
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters,
      paused: consumer.producerPaused,
      appData: { peerId: owner.peer.peerId, source: owner.source },
    };
  }

  // ---------- edge side ----------

  /** A pipe into `router` (on this node) from the owner's origin router of `sessionId`. */
  async pipeFrom(ownerNodeId: string, sessionId: string, router: types.Router): Promise<RemotePipe> {
    await this.bus.whenReady();
    const transport = await router.createPipeTransport({
      listenInfo: this.listenInfo(),
      enableRtx: true,
      enableSrtp: true,
      appData: { owner: ownerNodeId, sessionId },
    });
    let remoteId: string | undefined;
    try {
      const opened = await this.bus.request(ownerNodeId, 'open', {
        sessionId,
        ...this.address(transport),
        srtpParameters: transport.srtpParameters,
      });
      remoteId = String(opened.transportId);
      await transport.connect({
        ip: String(opened.ip),
        port: Number(opened.port),
        srtpParameters: opened.srtpParameters as types.SrtpParameters,
      });
    } catch (error) {
      transport.close();
      throw error;
    }
    const remoteTransportId = remoteId;
    const producers = new Map<string, Promise<types.Producer>>();
    this.pipes.set(remoteTransportId, { transport, producers });
    transport.observer.once('close', () => {
      this.pipes.delete(remoteTransportId);
      void this.bus.request(ownerNodeId, 'close', { transportId: remoteTransportId }).catch(() => undefined);
    });
    const produce = (producerId: string): Promise<types.Producer> => {
      let pending = producers.get(producerId);
      if (!pending) {
        pending = this.bus
          .request(ownerNodeId, 'consume', { transportId: remoteTransportId, producerId })
          .then(async (answer) => {
            const producer = await transport.produce({
              id: producerId,
              kind: answer.kind as types.MediaKind,
              rtpParameters: answer.rtpParameters as types.RtpParameters,
              paused: Boolean(answer.paused),
              appData: (answer.appData as Record<string, unknown>) ?? {},
            });
            producer.observer.once('close', () => {
              if (producers.get(producerId) === pending) producers.delete(producerId);
              // The edge let it go (its last consumer closed): the owner's pipe consumer goes too.
              if (!transport.closed)
                void this.bus
                  .request(ownerNodeId, 'unconsume', { transportId: remoteTransportId, producerId })
                  .catch(() => undefined);
            });
            return producer;
          });
        producers.set(producerId, pending);
        pending.catch(() => producers.delete(producerId));
      }
      return pending;
    };
    return { ownerNodeId, transport, produce, close: () => transport.close() };
  }

  private onEvent(event: Event): void {
    const pipe = this.pipes.get(event.body.transportId);
    if (!pipe) return;
    if (event.op === 'closed') {
      pipe.transport.close();
      return;
    }
    const pending = event.body.producerId ? pipe.producers.get(event.body.producerId) : undefined;
    void pending?.then(
      (producer) => {
        if (event.body.state === 'pause') void producer.pause().catch(() => undefined);
        else if (event.body.state === 'resume') void producer.resume().catch(() => undefined);
        else producer.close();
      },
      () => undefined,
    );
  }
}
