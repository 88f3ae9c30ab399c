/**
 * The rooms this node hosts. Creates a room (origin router on the least-loaded
 * worker + active-speaker observer, and its router cascade) at most once per
 * session even when peers arrive together, closes it, and rebuilds media
 * after a worker death: every peer's when the origin's worker died, only the
 * viewers of a fan-out router when that one's did (peers stay; the clients
 * concerned are told to run their media join again).
 */
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { types } from 'mediasoup';
import { LiveErrorCode, ServerEvent } from '@balai/live-contract';
import type { LiveAppEnv } from '../config/live-config';
import { closeProducerFor } from '../media/producer-close-reason';
import { RouterCascade } from '../media/router-cascade';
import { WorkerPoolService } from '../media/worker-pool.service';
import { LiveException } from '../signalling/live.exception';
import { RoomNotifier } from '../signalling/room-notifier.service';
import type { LiveSocket } from '../signalling/socket-data';
import { Peer } from './peer';
import { EdgeLink, Room, SessionFacts } from './room';
import { RoomNodeMap } from './room-node-map.service';

/** How long clients are asked to wait before joining again after a graceful stop. */
const REJOIN_AFTER_SHUTDOWN_MS = 1000;

@Injectable()
export class RoomRegistry implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RoomRegistry.name);
  private readonly rooms = new Map<string, Room>();
  private readonly creating = new Map<string, Promise<Room>>();
  private readonly onWorkerDied = (pid: number) => void this.rebuildRoomsOf(pid);

  constructor(
    private readonly pool: WorkerPoolService,
    private readonly nodeMap: RoomNodeMap,
    private readonly notifier: RoomNotifier,
    private readonly config: ConfigService<LiveAppEnv, true>,
  ) {}

  onModuleInit(): void {
    this.pool.on('worker-died', this.onWorkerDied);
  }

  /**
   * Graceful stop (SIGTERM through Nest's shutdown hooks, a deploy): every
   * client is told to come back (to this node once restarted, or another) and
   * every room is released so it can be claimed again at once. Attendance
   * closes the intervals itself (AttendanceService.onModuleDestroy).
   */
  async onModuleDestroy(): Promise<void> {
    this.pool.off('worker-died', this.onWorkerDied);
    for (const room of this.rooms.values()) {
      try {
        const notice = {
          reason: 'shutdown' as const,
          retryInMs: REJOIN_AFTER_SHUTDOWN_MS,
          message: 'the live server is restarting; reconnecting',
        };
        // An edge tells only its own peers: the session goes on on its owner.
        if (room.edge)
          for (const peer of room.peers.values())
            this.notifier.toSocket(peer.socket, ServerEvent.ServerShutdown, notice);
        else this.notifier.toRoom(room.sessionId, ServerEvent.ServerShutdown, notice);
      } catch {
        // No socket server (a test module without one): nobody to tell.
      }
    }
    for (const room of [...this.rooms.values()]) await this.close(room);
  }

  get(sessionId: string): Room | undefined {
    return this.rooms.get(sessionId);
  }

  /** The rooms this node owns (not its edge rooms of sessions owned elsewhere). */
  all(): Room[] {
    return [...this.rooms.values()].filter((room) => !room.edge);
  }

  /** This node's edge rooms (sessions owned by other nodes). */
  edges(): Room[] {
    return [...this.rooms.values()].filter((room) => room.edge);
  }

  /** The room and peer of an admitted socket, or undefined. */
  findMember(socket: LiveSocket): { room: Room; peer: Peer } | undefined {
    const sessionId = socket.data.sessionId;
    const room = sessionId ? this.rooms.get(sessionId) : undefined;
    const peer = room?.peers.get(socket.data.user.id);
    if (!room || room.closed || !peer || peer.socket.id !== socket.id) return undefined;
    return { room, peer };
  }

  /** The room and peer of an admitted socket, or NOT_IN_ROOM. */
  requireMember(socket: LiveSocket): { room: Room; peer: Peer } {
    const member = this.findMember(socket);
    if (!member) throw new LiveException(LiveErrorCode.NotInRoom, 'join the room first');
    return member;
  }

  /** The session's room on this node, created once even under concurrent joins. */
  async getOrCreate(facts: SessionFacts): Promise<Room> {
    const existing = this.rooms.get(facts.sessionId);
    if (existing && !existing.closed) {
      // An edge room (its owner not answering yet, or the edge taking over): the client tries again.
      if (existing.edge) {
        throw new LiveException(LiveErrorCode.RoomOnOtherNode, 'this session is hosted by another live node', {
          nodeId: existing.edge.ownerNodeId,
        });
      }
      return existing;
    }
    let pending = this.creating.get(facts.sessionId);
    if (!pending) {
      pending = this.create(facts).finally(() => this.creating.delete(facts.sessionId));
      this.creating.set(facts.sessionId, pending);
    }
    return pending;
  }

  /**
   * This node's edge room of a session owned by another node (issue 14): its
   * own origin router (and fan-outs) for its peers' media, no claim. `link`
   * is made for the room (cluster/edge-relay.service.ts).
   */
  async getOrCreateEdge(facts: SessionFacts, link: (room: Room) => EdgeLink): Promise<Room> {
    const existing = this.rooms.get(facts.sessionId);
    if (existing && !existing.closed) {
      if (!existing.edge) throw new LiveException(LiveErrorCode.BadState, 'this node hosts the session itself');
      return existing;
    }
    let pending = this.creating.get(facts.sessionId);
    if (!pending) {
      pending = this.open(facts, link).finally(() => this.creating.delete(facts.sessionId));
      this.creating.set(facts.sessionId, pending);
    }
    const room = await pending;
    if (!room.edge) throw new LiveException(LiveErrorCode.BadState, 'this node hosts the session itself');
    return room;
  }

  private async create(facts: SessionFacts): Promise<Room> {
    const claim = await this.nodeMap.claim(facts.sessionId);
    if (!claim.owned) {
      throw new LiveException(LiveErrorCode.RoomOnOtherNode, 'this session is hosted by another live node', {
        nodeId: claim.nodeId,
      });
    }
    return this.open(facts);
  }

  private async open(facts: SessionFacts, link?: (room: Room) => EdgeLink): Promise<Room> {
    const { router, observer } = await this.createMedia(facts.sessionId);
    // The cascade's callbacks read the room it belongs to, made just below.
    const ref: { room?: Room } = {};
    const cascade = new RouterCascade(this.pool, router, {
      sessionId: facts.sessionId,
      consumerBudget: this.config.get('LIVE_ROUTER_CONSUMER_BUDGET', { infer: true }),
      consumersOf: (peerId) => ref.room?.peers.get(peerId)?.consumers.size ?? 0,
      onFanoutLost: (peerIds) => {
        if (ref.room) this.restartViewers(ref.room, peerIds);
      },
    });
    const room = new Room(facts, cascade, observer);
    if (link) room.edge = link(room);
    ref.room = room;
    this.watchSpeaker(room);
    this.rooms.set(facts.sessionId, room);
    this.logger.log(
      { sessionId: facts.sessionId, workerPid: room.workerPid, edgeOf: room.edge?.ownerNodeId },
      room.edge ? 'edge room opened' : 'room opened',
    );
    return room;
  }

  private async createMedia(
    sessionId: string,
  ): Promise<{ router: types.Router; observer: types.ActiveSpeakerObserver }> {
    const router = await this.pool.createRouter({ sessionId, role: 'origin' });
    const observer = await router.createActiveSpeakerObserver({ interval: 300 });
    return { router, observer };
  }

  private watchSpeaker(room: Room): void {
    const observer = room.speakerObserver;
    observer.on('dominantspeaker', ({ producer }) => {
      if (room.speakerObserver !== observer) return;
      const owner = room.findProducerOwner(producer.id);
      room.activeSpeakerPeerId = owner?.peer.peerId ?? null;
      this.notifier.toRoom(room.sessionId, ServerEvent.ActiveSpeaker, { peerId: room.activeSpeakerPeerId });
    });
  }

  async close(room: Room): Promise<void> {
    if (room.closed) return;
    room.closed = true;
    for (const peer of room.peers.values()) peer.closeMedia();
    room.peers.clear();
    room.cascade.close();
    if (this.rooms.get(room.sessionId) === room) this.rooms.delete(room.sessionId);
    if (!room.edge) await this.nodeMap.release(room.sessionId);
    this.logger.log({ sessionId: room.sessionId }, 'room closed');
  }

  /** Worker death: every room on it gets a fresh router elsewhere; clients redo their media. */
  async rebuildRoomsOf(pid: number): Promise<void> {
    const affected = [...this.rooms.values()].filter((room) => room.workerPid === pid && !room.closed);
    for (const room of affected) {
      try {
        // Transports on fan-outs are still open: close them (no notices, media:restart says it all).
        for (const peer of room.peers.values()) peer.closeMedia();
        room.activeSpeakerPeerId = null;
        const { router, observer } = await this.createMedia(room.sessionId);
        room.cascade.replaceOrigin(router);
        room.speakerObserver = observer;
        this.watchSpeaker(room);
        this.logger.warn(
          { sessionId: room.sessionId, deadPid: pid, workerPid: room.workerPid },
          'room rebuilt after worker death',
        );
        const notice = {
          reason: 'worker-died' as const,
          routerRtpCapabilities: router.rtpCapabilities as unknown as Record<string, unknown>,
        };
        // An edge's media is its own peers' only: the owner's and other edges' peers are not concerned.
        if (room.edge)
          for (const peer of room.peers.values()) this.notifier.toSocket(peer.socket, ServerEvent.MediaRestart, notice);
        else this.notifier.toRoom(room.sessionId, ServerEvent.MediaRestart, notice);
      } catch (error) {
        this.logger.error({ err: error, sessionId: room.sessionId }, 'could not rebuild a room after worker death');
      }
    }
  }

  /**
   * A fan-out router died with its worker: only the viewers it carried redo
   * their media. One who also publishes (a participant invited to speak) has
   * its producers closed as 'media-restart', so it re-publishes by itself
   * and nobody takes it for moderation.
   */
  private restartViewers(room: Room, peerIds: string[]): void {
    if (room.closed) return;
    for (const peerId of peerIds) {
      const peer = room.peers.get(peerId);
      if (!peer) continue;
      for (const { producer } of [...peer.producers.values()]) closeProducerFor(producer, 'media-restart');
      peer.closeMedia();
      this.notifier.toSocket(peer.socket, ServerEvent.MediaRestart, {
        reason: 'worker-died',
        routerRtpCapabilities: room.router.rtpCapabilities as unknown as Record<string, unknown>,
      });
    }
  }
}
