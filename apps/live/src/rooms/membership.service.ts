/**
 * Entering and leaving rooms: admission, the peer record, the session channel,
 * attendance, and closing the room when the session ends, its time is up or
 * the last peer has gone.
 */
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RemovedNotice, RoomJoinResult, ServerEvent, SessionEndedNotice } from '@balai/live-contract';
import { AttendanceService, LeaveReason } from '../attendance/attendance.service';
import { ChatService } from '../chat/chat.service';
import type { LiveAppEnv } from '../config/live-config';
import { forbidden, LiveException } from '../signalling/live.exception';
import { RoomNotifier } from '../signalling/room-notifier.service';
import { TurnCredentialsService } from '../turn/turn-credentials.service';
import { LiveSocket, sessionChannel } from '../signalling/socket-data';
import { LiveErrorCode } from '@balai/live-contract';
import { AdmissionService } from './admission.service';
import { Peer } from './peer';
import { Room } from './room';
import { PresenceNotices } from './presence-notices.service';
import { RoomRegistry } from './room-registry.service';
import { SessionRepository } from './session.repository';

@Injectable()
export class MembershipService implements OnModuleDestroy {
  private readonly logger = new Logger(MembershipService.name);
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly admission: AdmissionService,
    private readonly registry: RoomRegistry,
    private readonly attendance: AttendanceService,
    private readonly chat: ChatService,
    private readonly notifier: RoomNotifier,
    private readonly config: ConfigService<LiveAppEnv, true>,
    private readonly turn: TurnCredentialsService,
    private readonly sessions: SessionRepository,
    private readonly presence: PresenceNotices,
  ) {}

  onModuleDestroy(): void {
    for (const timer of this.expiryTimers.values()) clearTimeout(timer);
  }

  /** `at` is when the person asked to join: attendance is stamped with it, however long Redis or the database took. */
  async join(socket: LiveSocket, sessionId: string, at = new Date()): Promise<RoomJoinResult> {
    if (socket.data.sessionId) {
      throw new LiveException(LiveErrorCode.AlreadyInRoom, 'this connection is already in a room; leave it first');
    }
    const user = socket.data.user;
    const { facts, role } = await this.admission.admit(user, sessionId, at);
    const room = await this.registry.getOrCreate(facts);
    this.scheduleExpiry(room);
    // The socket may have gone while admission ran: do not leave a ghost peer behind.
    if (!socket.connected) {
      await this.closeIfEmpty(room);
      throw new LiveException(LiveErrorCode.NotInRoom, 'the connection closed while joining');
    }
    // Attendance first: if it cannot be recorded (Redis down) the join fails as a whole and leaves nothing behind.
    try {
      await this.attendance.entered(facts.sessionId, user.id, at);
    } catch (error) {
      await this.closeIfEmpty(room);
      throw error;
    }

    const previous = room.peers.get(user.id);
    if (previous && previous.socket.id !== socket.id) {
      // The same user from a newer connection (reconnect, second tab): the newest wins.
      this.detach(room, previous, { reason: 'replaced', message: 'you joined from another connection' });
    }
    const peer = new Peer(socket, user.id, user.name, role);
    if (previous && previous.role === 'participant') {
      peer.canSpeak = previous.canSpeak;
      peer.canCamera = previous.canCamera;
    }
    room.peers.set(peer.peerId, peer);
    socket.data.sessionId = facts.sessionId;
    await socket.join(sessionChannel(facts.sessionId));
    if (role === 'host') void this.markLiveStarted(facts.sessionId);

    this.presence.joined(room, peer.peerId, socket, !!previous);
    return {
      sessionId: facts.sessionId,
      self: room.peerInfo(peer),
      peers: room.peerInfos().filter((info) => info.peerId !== peer.peerId),
      producers: room.producerInfos(peer.peerId),
      chat: await this.chat.history(room),
      hands: [...room.hands],
      activeSpeakerPeerId: room.activeSpeakerPeerId,
      routerRtpCapabilities: room.router.rtpCapabilities as unknown as Record<string, unknown>,
      iceServers: this.turn.iceServersFor(user.id),
      endsAt: facts.endsAt.toISOString(),
    };
  }

  /** The client asked to leave ("Keluar kelas"). */
  async leave(room: Room, peer: Peer, at = new Date()): Promise<void> {
    this.detach(room, peer);
    await this.attendance.left(room.sessionId, peer.userId, 'left', at);
    await this.closeIfEmpty(room);
  }

  /**
   * "Keluar kelas" from a connection that is not in the room (it reconnected
   * after a restart, or its join failed): the leave is still recorded.
   */
  async leaveWithoutRoom(userId: string, sessionId: string, at = new Date()): Promise<void> {
    await this.attendance.leftExplicitly(sessionId, userId, at);
  }

  /**
   * The socket dropped: media goes now, attendance waits for the reconnect
   * grace. `at`: when it dropped, if earlier than now (an edge node that died).
   */
  async disconnected(socket: LiveSocket, at?: Date): Promise<void> {
    const sessionId = socket.data.sessionId;
    const room = sessionId ? this.registry.get(sessionId) : undefined;
    const peer = room?.peers.get(socket.data.user.id);
    if (!room || !peer || peer.socket.id !== socket.id) return;
    if (room.edge) {
      await this.dropFromEdge(room, peer);
      room.edge.disconnected(peer);
      return;
    }
    this.detach(room, peer);
    this.attendance.dropped(room.sessionId, peer.userId, at);
    await this.closeIfEmpty(room);
  }

  /**
   * An edge room's peer leaves this node's side of the room: its media, the
   * local channel. The owner keeps the room's state and tells everyone; the
   * edge room closes with its last peer here.
   */
  async dropFromEdge(room: Room, peer: Peer): Promise<void> {
    if (room.peers.get(peer.peerId) !== peer) return;
    room.peers.delete(peer.peerId);
    peer.closeMedia();
    void peer.socket.leave(sessionChannel(room.sessionId));
    peer.socket.data.sessionId = undefined;
    await this.closeIfEmpty(room);
  }

  /**
   * An edge room whose owner died becomes this node's own room (issue 14,
   * node loss; the claim is already this node's): its peers stay with their
   * transports, and their attendance goes on here from now (the survivors
   * closed the dead owner's intervals at the time it stopped answering).
   */
  async adoptEdgeRoom(room: Room, at = new Date()): Promise<void> {
    room.edge = undefined;
    room.hands = [];
    this.scheduleExpiry(room);
    for (const peer of room.peers.values()) {
      await this.attendance
        .entered(room.sessionId, peer.userId, at)
        .catch((error: unknown) =>
          this.logger.error({ err: error, sessionId: room.sessionId, userId: peer.userId }, 'attendance not reopened'),
        );
    }
  }

  /** Removes a peer on someone else's decision (moderation). */
  async evict(room: Room, peer: Peer, notice: RemovedNotice, reason: LeaveReason): Promise<void> {
    this.detach(room, peer, notice);
    peer.socket.disconnect(true);
    await this.attendance.left(room.sessionId, peer.userId, reason);
    await this.closeIfEmpty(room);
  }

  async endByHost(room: Room, peer: Peer): Promise<void> {
    if (!peer.isStaff) throw forbidden('only hosts and moderators end the session');
    await this.sessions.markEnded(room.sessionId, new Date());
    this.admission.invalidate(room.sessionId);
    await this.endRoom(room, 'ended-by-host');
  }

  async endRoom(room: Room, reason: SessionEndedNotice['reason']): Promise<void> {
    if (room.closed) return;
    this.notifier.toRoom(room.sessionId, ServerEvent.SessionEnded, { sessionId: room.sessionId, reason });
    for (const peer of [...room.peers.values()]) this.detach(room, peer);
    await this.attendance.sessionClosed(room.sessionId, 'session-ended');
    await this.close(room);
  }

  /** Takes the peer out of the room's state and channel and closes its media. */
  private detach(room: Room, peer: Peer, notice?: RemovedNotice): void {
    if (room.peers.get(peer.peerId) === peer) room.peers.delete(peer.peerId);
    peer.closeMedia();
    const hadHand = room.hands.includes(peer.peerId);
    room.hands = room.hands.filter((id) => id !== peer.peerId);
    if (notice) this.notifier.toSocket(peer.socket, ServerEvent.Removed, notice);
    void peer.socket.leave(sessionChannel(room.sessionId));
    peer.socket.data.sessionId = undefined;
    if (notice?.reason !== 'replaced') {
      this.presence.left(room, peer.peerId);
      if (hadHand) this.notifier.toRoom(room.sessionId, ServerEvent.HandsUpdated, { queue: [...room.hands] });
    }
  }

  private async closeIfEmpty(room: Room): Promise<void> {
    if (room.peers.size === 0) await this.close(room);
  }

  private async close(room: Room): Promise<void> {
    clearTimeout(this.expiryTimers.get(room.sessionId));
    this.expiryTimers.delete(room.sessionId);
    await this.registry.close(room);
  }

  /** Time is up at end + grace: the room closes and everyone is told. */
  private scheduleExpiry(room: Room): void {
    if (this.expiryTimers.has(room.sessionId)) return;
    const delay = Math.max(0, this.admission.closesAt(room.session).getTime() - Date.now());
    // setTimeout overflows past ~24.8 days; sessions never stay open that long.
    const timer = setTimeout(
      () => {
        this.expiryTimers.delete(room.sessionId);
        void this.endRoom(room, 'time-up').catch((error: unknown) =>
          this.logger.error({ err: error }, 'could not end room'),
        );
      },
      Math.min(delay, 2 ** 31 - 1),
    );
    timer.unref();
    this.expiryTimers.set(room.sessionId, timer);
  }

  private async markLiveStarted(sessionId: string): Promise<void> {
    await this.sessions
      .markLive(sessionId, new Date())
      .catch((error: unknown) => this.logger.warn({ err: error, sessionId }, 'could not mark the session live'));
  }
}
