/**
 * One session served by several live nodes (issue 14, across nodes). Any node
 * accepts an admitted participant of any session: a node that does not own
 * the session becomes its **edge**.
 *
 * Where the state lives: the owner stays the one authority for the room (its
 * in-memory Room: peers, hands, speak grants, chat history, moderation, Q&A
 * and polls, attendance), as it is with one node. The edge holds only its own
 * peers' media: an edge room (RoomRegistry.getOrCreateEdge) with its own
 * origin router (and fan-outs) fed by NodePipes from the owner's origin, a
 * producer piped when its first local consumer needs it and let go with its
 * last. Every other event of an edge's socket is forwarded to the owner over
 * Redis and handled there by the same gateway code, for a stand-in socket
 * (EdgeSocket) whose notices go to the real one through the socket.io Redis
 * adapter; the owner's room broadcasts reach the edge's sockets the same way.
 * So there is one copy of the room's state and no second set of rules.
 *
 *   edge -> owner  join         {sessionId, socketId, user}   -> {ack, facts}
 *   edge -> owner  event        {socketId, event, input}      -> {ack}
 *   edge -> owner  disconnected {socketId}                    (event)
 *   owner -> edge  detached     {socketId}                    (event: the owner took the peer out of the room)
 *
 * Handled on the edge itself (its media): transport:create/connect/restart-ice,
 * media:consume/consumer-resume/report-viewport/report-network/set-audio-only.
 * The owner drops the stand-ins of an edge whose node lease expired (it died);
 * removal's disconnect goes through the adapter after the removal notice.
 */
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { Server } from 'socket.io';
import { AuthUser, RedisClient } from '@balai/common';
import {
  Ack,
  ClientEvent,
  ClientEventName,
  LiveErrorCode,
  ProducerClosedReason,
  RoomJoinResult,
  ServerEvent,
} from '@balai/live-contract';
import type { LiveAppEnv } from '../config/live-config';
import { MediaService } from '../media/media.service';
import { closeProducerFor, closeReasonOf } from '../media/producer-close-reason';
import { MembershipService } from '../rooms/membership.service';
import { Peer } from '../rooms/peer';
import type { EdgeLink, RemoteProducer, Room, SessionFacts } from '../rooms/room';
import { RoomNodeMap } from '../rooms/room-node-map.service';
import { RoomRegistry } from '../rooms/room-registry.service';
import { RoomNotifier } from '../signalling/room-notifier.service';
import { SignalRunner } from '../signalling/signal-runner.service';
import { LiveSocket, sessionChannel } from '../signalling/socket-data';
import { BusNotice, BusRequest, NodeBus } from './node-bus';
import { NodePipes, RemotePipe } from './node-pipes.service';

const REQUEST_TIMEOUT_MS = 8000;
const LIVENESS_CHECK_MS = 1000;

/** Events an edge handles itself: its peers' transports and consumers. */
const MEDIA_ON_EDGE = new Set<ClientEventName>([
  ClientEvent.TransportCreate,
  ClientEvent.TransportConnect,
  ClientEvent.TransportRestartIce,
  ClientEvent.Consume,
  ClientEvent.ConsumerResume,
  ClientEvent.ReportViewport,
  ClientEvent.ReportNetwork,
  ClientEvent.SetAudioOnly,
  ClientEvent.Produce,
  ClientEvent.ProducerClose,
]);

/** Events that publish: the edge asks the owner for the peer's speak grant first. */
const PUBLISHING = new Set<ClientEventName>([ClientEvent.TransportCreate, ClientEvent.Produce]);

type Op = 'join' | 'event' | 'grant' | 'adopt';
type Request = BusRequest<Op>;
interface NoticeBody {
  op: 'disconnected' | 'detached' | 'producer';
  socketId: string;
  /** op 'producer': the owner paused or closed an edge publisher's producer (moderation). */
  producerId?: string;
  state?: 'pause' | 'close';
  reason?: ProducerClosedReason;
}
type Notice = BusNotice<NoticeBody>;

type Handler = (socket: unknown, body: unknown) => Promise<Ack<unknown>>;

interface FactsWire {
  sessionId: string;
  courseId: string;
  startsAt: string;
  endsAt: string;
}

/**
 * The owner's stand-in for a socket connected to an edge node: what the room
 * code uses of a socket, with notices and the disconnect sent to the real one
 * through the socket.io Redis adapter (in the order they were made).
 */
export class EdgeSocket {
  connected = true;
  /** Producers of the edge's publisher piped into the owner's origin: they go with the peer. */
  readonly adopted = new Set<{ close(): void }>();
  readonly data: { user: AuthUser; sessionId?: string };

  constructor(
    readonly id: string,
    user: AuthUser,
    readonly nodeId: string,
    private readonly io: () => Server,
    private readonly onLeave: (socket: EdgeSocket) => void,
  ) {
    this.data = { user };
  }

  /** Puts the real socket in a channel (the session's: the edge did already; the staff channel: interaction). */
  join(channel: string): Promise<void> {
    this.io().in(this.id).socketsJoin(channel);
    return Promise.resolve();
  }

  /** The owner took the peer out of the room: the edge drops its side (media, channel). */
  leave(): Promise<void> {
    this.onLeave(this);
    return Promise.resolve();
  }

  emit(event: string, payload: unknown): boolean {
    this.io().to(this.id).emit(event, payload);
    return true;
  }

  /** A broadcast to a channel, this socket excepted (as socket.to(channel) is). */
  to(channel: string) {
    return this.io().to(channel).except(this.id);
  }

  disconnect(close?: boolean): this {
    this.connected = false;
    this.io()
      .in(this.id)
      .disconnectSockets(close ?? false);
    return this;
  }
}

@Injectable()
export class EdgeRelay implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EdgeRelay.name);
  readonly nodeId: string;
  private readonly bus: NodeBus<Op, NoticeBody>;
  private timer?: NodeJS.Timeout;
  private readonly handlers = new Map<string, Handler>();
  /** Owner side: stand-ins of edges' sockets, by socket id. */
  private readonly standIns = new Map<string, EdgeSocket>();
  /** Edge side, per edge room: closes the pipe from the owner; the owner's peers and producers seen in join answers. */
  private readonly edgeState = new WeakMap<Room, { closePipe(): void; peers: Set<string>; producers: Set<string> }>();
  private readonly promoting = new Set<Room>();
  /** Owner side: the last heartbeat seen of each edge node with peers here. */
  private readonly edgeBeats = new Map<string, number>();
  /** Owner side: pipes from edges' rooms into an origin router (their publishers), by router and edge. */
  private readonly reversePipes = new Map<string, Promise<RemotePipe>>();

  constructor(
    private readonly redis: RedisClient,
    private readonly registry: RoomRegistry,
    private readonly nodeMap: RoomNodeMap,
    private readonly membership: MembershipService,
    private readonly media: MediaService,
    private readonly pipes: NodePipes,
    private readonly signals: SignalRunner,
    private readonly notifier: RoomNotifier,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    config: ConfigService<LiveAppEnv, true>,
  ) {
    this.nodeId = nodeMap.nodeId;
    const prefix = config.get('REDIS_PREFIX', { infer: true });
    this.bus = new NodeBus<Op, NoticeBody>({
      redis,
      nodeId: this.nodeId,
      channel: (nodeId) => `${prefix}:live:edge:${nodeId}`,
      timeoutMs: REQUEST_TIMEOUT_MS,
      logger: this.logger,
      serve: (request) => this.serve(request),
      notice: (notice) => this.onNotice(notice),
    });
  }

  onModuleInit(): void {
    this.bus.start();
    this.signals.setForwarder((socket, event, input) => this.forward(socket, event, input));
  }

  /** Every gateway handler by its event, so the owner runs an edge's event with the same code. */
  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || !wrapper.metatype || !Reflect.getMetadata('websockets:is_gateway', wrapper.metatype)) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = (prototype as Record<string, unknown>)[name] as (...args: unknown[]) => Promise<Ack<unknown>>;
        if (!Reflect.getMetadata('websockets:message_mapping', method)) continue;
        const event = String(Reflect.getMetadata('message', method));
        this.handlers.set(event, (socket, body) => method.call(instance, socket, body));
      }
    }
    this.timer = setInterval(() => void this.checkNodes(), LIVENESS_CHECK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.bus.stop();
  }

  async whenReady(): Promise<void> {
    await this.bus.whenReady();
  }

  // ---------- the bus ----------

  private async onNotice(notice: Notice): Promise<void> {
    if (notice.op === 'disconnected') await this.edgeDisconnected(notice.socketId, notice.from);
    else if (notice.op === 'producer') this.moderatedByOwner(notice);
    else await this.detachedByOwner(notice.socketId);
  }

  private serve(request: Request): Promise<Record<string, unknown>> | Record<string, unknown> {
    switch (request.op) {
      case 'join':
        return this.serveJoin(request);
      case 'grant':
        return this.serveGrant(request);
      case 'adopt':
        return this.serveAdopt(request);
      default:
        return this.serveEvent(request);
    }
  }

  // ---------- edge side ----------

  /** SignalRunner's forwarder: null handles the event here. */
  private forward(socket: LiveSocket, event: ClientEventName, input: unknown): Promise<Ack<unknown> | null> | null {
    if (socket instanceof EdgeSocket) return null; // the owner runs an edge's event
    if (event === ClientEvent.RoomJoin)
      return this.joinAsEdge(socket, input as { sessionId: string; recvTransport?: boolean });
    const room = socket.data.sessionId ? this.registry.get(socket.data.sessionId) : undefined;
    if (!room?.edge) return null;
    const member = this.registry.findMember(socket);
    if (!member) return null; // NOT_IN_ROOM, said here
    if (PUBLISHING.has(event)) return this.refreshGrant(room, member.peer);
    if (MEDIA_ON_EDGE.has(event)) return null;
    return this.toOwner(room, socket, event, input);
  }

  /** The speak grant is the owner's: an edge's publisher is checked against it, then publishes here. */
  private async refreshGrant(room: Room, peer: Peer): Promise<Ack<unknown> | null> {
    try {
      const grant = await this.bus.request(room.edge!.ownerNodeId, 'grant', { socketId: peer.socket.id });
      if (grant.inRoom === false) {
        return { ok: false, error: { code: LiveErrorCode.NotInRoom, message: 'join the room first' } };
      }
      peer.canSpeak = Boolean(grant.canSpeak);
      peer.canCamera = Boolean(grant.canCamera);
      return null;
    } catch (error) {
      this.logger.warn({ err: error, owner: room.edge!.ownerNodeId }, 'the owner node did not answer a grant check');
      return unavailable();
    }
  }

  /** The owner paused (muted) or closed (revoked, camera stopped) an edge publisher's producer: applied here. */
  private moderatedByOwner(notice: Notice): void {
    for (const room of this.edgeRooms()) {
      const found = notice.producerId ? room.findProducerOwner(notice.producerId) : undefined;
      if (!found || found.peer.socket.id !== notice.socketId) continue;
      if (notice.state === 'pause') void found.producer.pause().catch(() => undefined);
      else closeProducerFor(found.producer, notice.reason ?? 'moderation');
    }
  }

  private async toOwner(room: Room, socket: LiveSocket, event: ClientEventName, input: unknown): Promise<Ack<unknown>> {
    const owner = room.edge!.ownerNodeId;
    let ack: Ack<unknown>;
    try {
      const answer = await this.bus.request(owner, 'event', { socketId: socket.id, event, input });
      ack = answer.ack as Ack<unknown>;
    } catch (error) {
      this.logger.warn({ err: error, event, owner }, 'the owner node did not answer a forwarded event');
      return unavailable();
    }
    if (event === ClientEvent.RoomLeave && ack.ok) {
      const peer = room.peers.get(socket.data.user.id);
      if (peer && peer.socket.id === socket.id) await this.membership.dropFromEdge(room, peer);
    }
    return ack;
  }

  /** room:join of a session another (live) node owns: admitted there, media here. */
  private async joinAsEdge(
    socket: LiveSocket,
    input: { sessionId: string; recvTransport?: boolean },
  ): Promise<Ack<unknown> | null> {
    if (socket.data.sessionId) return null; // ALREADY_IN_ROOM, said here
    const owner = await this.nodeMap.ownerOf(input.sessionId);
    if (!owner || owner === this.nodeId || !(await this.alive(owner))) return null;
    let answer: Record<string, unknown>;
    try {
      answer = await this.bus.request(owner, 'join', {
        sessionId: input.sessionId,
        socketId: socket.id,
        user: socket.data.user,
      });
    } catch (error) {
      this.logger.warn({ err: error, owner, sessionId: input.sessionId }, 'the owner node did not answer a join');
      return unavailable();
    }
    const ack = answer.ack as Ack<RoomJoinResult>;
    if (!ack.ok) return ack;
    const wire = answer.facts as FactsWire;
    const facts: SessionFacts = {
      sessionId: wire.sessionId,
      courseId: wire.courseId,
      startsAt: new Date(wire.startsAt),
      endsAt: new Date(wire.endsAt),
    };
    let room: Room;
    try {
      room = await this.edgeRoom(facts, owner);
    } catch (error) {
      this.notifyOwner(owner, 'disconnected', socket.id);
      throw error;
    }
    if (!socket.connected) {
      this.notifyOwner(owner, 'disconnected', socket.id);
      if (room.peers.size === 0) await this.registry.close(room);
      return { ok: false, error: { code: LiveErrorCode.NotInRoom, message: 'the connection closed while joining' } };
    }
    const seen = this.edgeState.get(room);
    for (const info of ack.data.peers) seen?.peers.add(info.peerId);
    for (const info of ack.data.producers) seen?.producers.add(info.producerId);
    const previous = room.peers.get(socket.data.user.id);
    if (previous && previous.socket.id !== socket.id) await this.membership.dropFromEdge(room, previous);
    const peer = new Peer(socket, socket.data.user.id, socket.data.user.name, ack.data.self.role);
    room.peers.set(peer.peerId, peer);
    socket.data.sessionId = facts.sessionId;
    await socket.join(sessionChannel(facts.sessionId));
    const joined: RoomJoinResult = {
      ...ack.data,
      routerRtpCapabilities: room.router.rtpCapabilities as unknown as RoomJoinResult['routerRtpCapabilities'],
    };
    if (input.recvTransport) {
      const recvTransport = await this.media.createTransport(room, peer, { direction: 'recv' }).catch(() => undefined);
      if (recvTransport) joined.recvTransport = recvTransport;
    }
    this.logger.log({ sessionId: facts.sessionId, peerId: peer.peerId, owner }, 'joined as an edge');
    return { ok: true, data: joined };
  }

  /** This node's edge room of a session `ownerNodeId` owns (the join path's; bench/webinar/two-nodes.ts uses it directly). */
  edgeRoom(facts: SessionFacts, ownerNodeId: string): Promise<Room> {
    return this.registry.getOrCreateEdge(facts, (made) => this.link(made, ownerNodeId));
  }

  /** The edge room's link to its owner: producers piped in on demand, counted by local consumers. */
  private link(room: Room, ownerNodeId: string): EdgeLink {
    let pipe: Promise<RemotePipe> | undefined;
    let pipeRouter: unknown;
    const users = new Map<string, number>();
    const producers = new Map<string, Promise<RemoteProducer>>();
    const openPipe = (): Promise<RemotePipe> => {
      if (!pipe || pipeRouter !== room.router) {
        pipeRouter = room.router;
        const opening = this.pipes.pipeFrom(ownerNodeId, room.sessionId, room.router);
        pipe = opening;
        opening.then(
          (opened) =>
            opened.transport.observer.once('close', () => {
              if (pipe === opening) pipe = undefined;
            }),
          () => {
            if (pipe === opening) pipe = undefined;
          },
        );
      }
      return pipe;
    };
    this.edgeState.set(room, {
      closePipe: () =>
        void pipe?.then(
          (opened) => opened.close(),
          () => undefined,
        ),
      peers: new Set(),
      producers: new Set(),
    });
    return {
      ownerNodeId,
      acquire: async (producerId) => {
        users.set(producerId, (users.get(producerId) ?? 0) + 1);
        try {
          let pending = producers.get(producerId);
          if (!pending) {
            pending = openPipe()
              .then((opened) => opened.produce(producerId))
              .then((producer) => {
                this.edgeState.get(room)?.producers.add(producerId);
                producer.observer.once('close', () => producers.delete(producerId));
                return {
                  producer,
                  peerId: String(producer.appData.peerId),
                  source: producer.appData.source as RemoteProducer['source'],
                };
              });
            producers.set(producerId, pending);
            pending.catch(() => producers.delete(producerId));
          }
          const remote = await pending;
          if (remote.producer.closed) throw new Error('the piped producer closed');
          return remote;
        } catch (error) {
          this.releaseOne(users, producers, producerId);
          throw error;
        }
      },
      release: (producerId) => this.releaseOne(users, producers, producerId),
      disconnected: (peer) => this.notifyOwner(ownerNodeId, 'disconnected', peer.socket.id),
      published: async (peer, producer) => {
        await this.bus.request(ownerNodeId, 'adopt', { socketId: peer.socket.id, producerId: producer.id });
      },
    };
  }

  private releaseOne(
    users: Map<string, number>,
    producers: Map<string, Promise<RemoteProducer>>,
    producerId: string,
  ): void {
    const left = (users.get(producerId) ?? 0) - 1;
    if (left > 0) {
      users.set(producerId, left);
      return;
    }
    users.delete(producerId);
    const pending = producers.get(producerId);
    producers.delete(producerId);
    // The last local consumer went: the piped producer closes (and with it the owner's pipe consumer).
    void pending?.then(
      ({ producer }) => {
        if (!users.has(producerId)) producer.close();
      },
      () => undefined,
    );
  }

  private notifyOwner(owner: string, op: 'disconnected', socketId: string): void {
    void this.bus.notify(owner, { op, socketId }).catch(() => undefined);
  }

  /** The owner took an edge peer out of the room (left, removed, replaced, session ended). */
  private async detachedByOwner(socketId: string): Promise<void> {
    for (const room of [...this.edgeRooms()]) {
      for (const peer of [...room.peers.values()]) {
        if (peer.socket.id === socketId) await this.membership.dropFromEdge(room, peer);
      }
    }
  }

  private edgeRooms(): Room[] {
    return this.registry.edges();
  }

  // ---------- owner side ----------

  private io(): Server {
    return this.notifier.io;
  }

  private async serveJoin(request: Request): Promise<Record<string, unknown>> {
    const socketId = String(request.body.socketId);
    const sessionId = String(request.body.sessionId);
    this.standIns.get(socketId)?.disconnect(false);
    const standIn = new EdgeSocket(
      socketId,
      request.body.user as AuthUser,
      request.from,
      () => this.io(),
      (socket) => this.left(socket),
    );
    this.standIns.set(socketId, standIn);
    const handler = this.handlers.get(ClientEvent.RoomJoin);
    if (!handler) throw new Error('no join handler');
    const ack = await handler(standIn, { sessionId });
    if (!ack.ok) {
      this.standIns.delete(socketId);
      return { ack };
    }
    const room = this.registry.get(sessionId)!;
    const facts: FactsWire = {
      sessionId: room.session.sessionId,
      courseId: room.session.courseId,
      startsAt: room.session.startsAt.toISOString(),
      endsAt: room.session.endsAt.toISOString(),
    };
    return { ack, facts };
  }

  private async serveEvent(request: Request): Promise<Record<string, unknown>> {
    const standIn = this.standIns.get(String(request.body.socketId));
    const event = String(request.body.event);
    if (!standIn || standIn.nodeId !== request.from) {
      return { ack: { ok: false, error: { code: LiveErrorCode.NotInRoom, message: 'join the room first' } } };
    }
    const handler = this.handlers.get(event);
    if (!handler || event === ClientEvent.RoomJoin) throw new Error(`no handler for ${event}`);
    return { ack: await handler(standIn, request.body.input) };
  }

  /** The stand-in's peer in the owner's room, or undefined (it left, or was replaced). */
  private standInPeer(request: Request): { room: Room; peer: Peer; standIn: EdgeSocket } | undefined {
    const standIn = this.standIns.get(String(request.body.socketId));
    if (!standIn || standIn.nodeId !== request.from || !standIn.data.sessionId) return undefined;
    const room = this.registry.get(standIn.data.sessionId);
    const peer = room?.peers.get(standIn.data.user.id);
    if (!room || room.edge || !peer || peer.socket !== (standIn as unknown)) return undefined;
    return { room, peer, standIn };
  }

  private serveGrant(request: Request): Record<string, unknown> {
    const found = this.standInPeer(request);
    if (!found) return { inRoom: false };
    return { inRoom: true, canSpeak: found.peer.canSpeak, canCamera: found.peer.canCamera };
  }

  /**
   * An edge's publisher: its producer is piped from the edge's room into this
   * origin (one pipe per edge and origin router), kept among the peer's
   * producers (consumed here and by other edges, in the active-speaker
   * observer, moderated here), and a pause or close decided here is applied
   * on the edge, to the real producer.
   */
  private async serveAdopt(request: Request): Promise<Record<string, unknown>> {
    const found = this.standInPeer(request);
    if (!found) throw new Error('not in the room');
    const { room, peer, standIn } = found;
    const producerId = String(request.body.producerId);
    const pipe = await this.reversePipe(room, standIn.nodeId);
    const producer = await pipe.produce(producerId);
    const source = producer.appData.source as RemoteProducer['source'];
    if (!peer.mayPublish(source) || room.peers.get(peer.peerId) !== peer) {
      producer.close();
      throw new Error('may not publish');
    }
    peer.producers.set(producer.id, { producer, source });
    standIn.adopted.add(producer);
    if (producer.kind === 'audio') await room.speakerObserver.addProducer({ producerId }).catch(() => undefined);
    const tell = (state: 'pause' | 'close', reason?: ProducerClosedReason) =>
      void this.bus
        .notify(standIn.nodeId, {
          op: 'producer',
          socketId: standIn.id,
          producerId,
          state,
          reason,
        })
        .catch(() => undefined);
    producer.observer.on('pause', () => tell('pause'));
    producer.observer.once('close', () => {
      standIn.adopted.delete(producer);
      if (peer.producers.get(producerId)?.producer === producer) peer.producers.delete(producerId);
      // Closed here with a reason (moderation): the edge closes the real one, which tells everyone.
      const reason = closeReasonOf(producer);
      if (reason !== 'owner') tell('close', reason);
    });
    return {};
  }

  private reversePipe(room: Room, edgeNodeId: string): Promise<RemotePipe> {
    const key = `${room.router.id}:${edgeNodeId}`;
    let pipe = this.reversePipes.get(key);
    if (!pipe) {
      pipe = this.pipes.pipeFrom(edgeNodeId, room.sessionId, room.router);
      this.reversePipes.set(key, pipe);
      pipe.then(
        (opened) => opened.transport.observer.once('close', () => this.reversePipes.delete(key)),
        () => this.reversePipes.delete(key),
      );
    }
    return pipe;
  }

  /** The owner's room no longer has this edge peer: the edge drops its media. */
  private left(socket: EdgeSocket): void {
    socket.data.sessionId = undefined;
    for (const producer of [...socket.adopted]) producer.close();
    if (this.standIns.get(socket.id) === socket) this.standIns.delete(socket.id);
    void this.bus.notify(socket.nodeId, { op: 'detached', socketId: socket.id }).catch(() => undefined);
  }

  private async edgeDisconnected(socketId: string, from: string, at?: Date): Promise<void> {
    const standIn = this.standIns.get(socketId);
    if (!standIn || standIn.nodeId !== from) return;
    this.standIns.delete(socketId);
    standIn.connected = false;
    await this.membership
      .disconnected(standIn as unknown as LiveSocket, at)
      .catch((error: unknown) => this.logger.error({ err: error, socketId }, 'edge disconnect cleanup failed'));
  }

  private checking?: Promise<void>;

  private checkNodes(): Promise<void> {
    this.checking ??= Promise.all([this.checkEdges(), this.checkOwners()])
      .then(() => undefined)
      .catch((error: unknown) => this.logger.warn({ err: error }, 'node liveness check failed; will retry'))
      .finally(() => (this.checking = undefined));
    return this.checking;
  }

  // ---------- node loss ----------

  /**
   * An edge room whose owner stopped answering (its lease expired): once the
   * survivors' recovery has closed the dead node's attendance intervals and
   * freed its claims (AttendanceRecovery forgets the node after that), this
   * node claims the session and the edge room becomes its own room. Its
   * peers keep their transports; what they consumed from the dead owner is
   * closed, and they are told the owner's peers left. Publishers that were on
   * the dead node join again by themselves (their clients retry) and land
   * here. If another survivor claimed it first, this node's peers are told
   * to join again (they become that node's edge).
   */
  private async checkOwners(): Promise<void> {
    for (const room of this.edgeRooms()) {
      const owner = room.edge!.ownerNodeId;
      if (this.promoting.has(room) || (await this.alive(owner))) continue;
      if ((await this.redis.client.zscore('node-beat', owner)) !== null) continue; // recovery not done yet
      this.promoting.add(room);
      try {
        await this.promote(room, owner);
      } finally {
        this.promoting.delete(room);
      }
    }
  }

  private async promote(room: Room, deadOwner: string): Promise<void> {
    if (room.closed || !room.edge) return;
    const claim = await this.nodeMap.claim(room.sessionId);
    const state = this.edgeState.get(room);
    state?.closePipe();
    if (!claim.owned) {
      this.logger.warn(
        { sessionId: room.sessionId, deadOwner, owner: claim.nodeId },
        'another survivor took the session',
      );
      for (const peer of [...room.peers.values()]) {
        this.notifier.toSocket(peer.socket, ServerEvent.ServerShutdown, {
          reason: 'shutdown',
          retryInMs: 200,
          message: 'the live node hosting this session stopped; reconnecting',
        });
        await this.membership.dropFromEdge(room, peer);
      }
      return;
    }
    await this.membership.adoptEdgeRoom(room);
    const local = new Set(room.peers.keys());
    for (const peer of room.peers.values()) {
      for (const producerId of state?.producers ?? [])
        this.notifier.toSocket(peer.socket, ServerEvent.ProducerClosed, { producerId, reason: 'owner' });
      for (const peerId of state?.peers ?? [])
        if (!local.has(peerId)) this.notifier.toSocket(peer.socket, ServerEvent.PeerLeft, { peerId });
      this.notifier.toSocket(peer.socket, ServerEvent.HandsUpdated, { queue: [] });
    }
    this.logger.warn(
      { sessionId: room.sessionId, deadOwner, peers: room.peers.size },
      "the owner node died: this edge room is now the session's room",
    );
  }

  /** Stand-ins of an edge whose node stopped answering (its lease expired) are dropped connections. */
  private async checkEdges(): Promise<void> {
    const nodes = new Set([...this.standIns.values()].map((s) => s.nodeId));
    for (const nodeId of nodes) {
      // The lease holds the node's last heartbeat (ms) while it lives.
      const beat = await this.redis.client.get(`node-lease:${nodeId}`).catch(() => 'unknown');
      if (beat !== null) {
        if (beat !== 'unknown' && Number.isFinite(Number(beat))) this.edgeBeats.set(nodeId, Number(beat));
        continue;
      }
      // Dropped at the edge's last heartbeat (when it stopped answering), not when this node noticed.
      const lastBeat =
        Number((await this.redis.client.zscore('node-beat', nodeId).catch(() => null)) ?? 0) ||
        this.edgeBeats.get(nodeId);
      this.edgeBeats.delete(nodeId);
      const at = lastBeat ? new Date(Math.min(Date.now(), lastBeat)) : undefined;
      this.logger.warn({ edge: nodeId, at }, 'an edge node stopped answering; its peers are dropped');
      for (const standIn of [...this.standIns.values()])
        if (standIn.nodeId === nodeId) await this.edgeDisconnected(standIn.id, nodeId, at);
      for (const [key, pipe] of [...this.reversePipes])
        if (key.endsWith(`:${nodeId}`))
          void pipe.then(
            (opened) => opened.close(),
            () => undefined,
          );
    }
  }

  /** A node is alive while its heartbeat lease (AttendanceRecovery) is in Redis. */
  private async alive(nodeId: string): Promise<boolean> {
    return (await this.redis.client.exists(`node-lease:${nodeId}`)) === 1;
  }
}

function unavailable(): Ack<unknown> {
  return {
    ok: false,
    error: {
      code: LiveErrorCode.Unavailable,
      message: 'the live node hosting this session did not answer; please try again',
    },
  };
}
