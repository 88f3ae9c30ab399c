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
import type Redis from 'ioredis';
import type { types } from 'mediasoup';
import { randomUUID } from 'node:crypto';
import { RedisClient } from '@balai/common';
import type { LiveAppEnv } from '../config/live-config';
import { RoomRegistry } from '../rooms/room-registry.service';
import { resolveNodeId } from './node-id';

type Op = 'open' | 'consume' | 'unconsume' | 'close';

interface Request {
  kind: 'req';
  id: string;
  from: string;
  op: Op;
  body: Record<string, unknown>;
}
interface Reply {
  kind: 'res';
  id: string;
  ok: boolean;
  body?: Record<string, unknown>;
  error?: string;
}
interface Event {
  kind: 'evt';
  op: 'producer' | 'closed';
  body: { transportId: string; producerId?: string; state?: 'pause' | 'resume' | 'close' };
}
type Message = Request | Reply | Event;

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
  private readonly prefix: string;
  private subscriber?: Redis;
  private ready?: Promise<void>;
  private readonly pending = new Map<
    string,
    { resolve: (body: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
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
    this.prefix = config.get('REDIS_PREFIX', { infer: true });
  }

  private channel(nodeId: string): string {
    return `${this.prefix}:live:node-pipe:${nodeId}`;
  }

  onModuleInit(): void {
    // The live service's Redis connections have no offline queue: subscribe once connected (and again after a reconnect).
    const subscriber = this.redis.client.duplicate();
    this.subscriber = subscriber;
    let subscribed: () => void = () => undefined;
    this.ready = new Promise((resolve) => (subscribed = resolve));
    subscriber.on('ready', () => {
      subscriber.subscribe(this.channel(this.nodeId)).then(
        () => subscribed(),
        (error: unknown) => this.logger.warn({ err: error }, 'could not subscribe to the node pipe channel'),
      );
    });
    subscriber.on('error', () => undefined); // reconnects by itself; requests in flight time out
    subscriber.on('message', (_channel: string, raw: string) => void this.receive(raw));
  }

  onApplicationShutdown(): void {
    for (const { transport } of this.served.values()) transport.close();
    for (const { transport } of this.pipes.values()) transport.close();
    for (const { reject } of this.pending.values()) reject(new Error('shutting down'));
    this.subscriber?.disconnect();
  }

  /** Whether this node listens for pipe requests (for tests and start-up). */
  async whenReady(): Promise<void> {
    await this.ready;
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

  private async publish(nodeId: string, message: Message): Promise<void> {
    await this.redis.client.publish(this.channel(nodeId), JSON.stringify(message));
  }

  private async request(nodeId: string, op: Op, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = randomUUID();
    const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`node ${nodeId} did not answer ${op}`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
    // Handled by whoever awaits it; until then (during the publish) a rejection must not count as unhandled.
    answer.catch(() => undefined);
    try {
      const message: Request = { kind: 'req', id, from: this.nodeId, op, body };
      const receivers = await this.redis.client.publish(this.channel(nodeId), JSON.stringify(message));
      if (receivers === 0) throw new Error(`node ${nodeId} is not listening`);
    } catch (error) {
      this.pending.get(id)?.reject(error instanceof Error ? error : new Error('could not publish'));
      this.pending.delete(id);
    }
    return answer;
  }

  private async receive(raw: string): Promise<void> {
    let message: Message;
    try {
      message = JSON.parse(raw) as Message;
    } catch {
      return;
    }
    if (message.kind === 'res') {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!waiter) return;
      if (message.ok) waiter.resolve(message.body ?? {});
      else waiter.reject(new Error(message.error ?? 'refused'));
    } else if (message.kind === 'evt') {
      this.onEvent(message);
    } else if (message.kind === 'req') {
      let reply: Reply;
      try {
        reply = { kind: 'res', id: message.id, ok: true, body: await this.serve(message) };
      } catch (error) {
        reply = { kind: 'res', id: message.id, ok: false, error: error instanceof Error ? error.message : 'failed' };
      }
      await this.publish(message.from, reply).catch(() => undefined);
    }
  }

  // ---------- owner side ----------

  private async serve(request: Request): Promise<Record<string, unknown>> {
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
        void this.publish(request.from, { kind: 'evt', op: 'closed', body: { transportId: transport.id } }).catch(
          () => undefined,
        );
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
      void this.publish(served.edge, {
        kind: 'evt',
        op: 'producer',
        body: { transportId: served.transport.id, producerId, state },
      }).catch(() => undefined);
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
    await this.ready;
    const transport = await router.createPipeTransport({
      listenInfo: this.listenInfo(),
      enableRtx: true,
      enableSrtp: true,
      appData: { owner: ownerNodeId, sessionId },
    });
    let remoteId: string | undefined;
    try {
      const opened = await this.request(ownerNodeId, 'open', {
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
      void this.request(ownerNodeId, 'close', { transportId: remoteTransportId }).catch(() => undefined);
    });
    const produce = (producerId: string): Promise<types.Producer> => {
      let pending = producers.get(producerId);
      if (!pending) {
        pending = this.request(ownerNodeId, 'consume', { transportId: remoteTransportId, producerId }).then(
          async (answer) => {
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
                void this.request(ownerNodeId, 'unconsume', { transportId: remoteTransportId, producerId }).catch(
                  () => undefined,
                );
            });
            return producer;
          },
        );
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
