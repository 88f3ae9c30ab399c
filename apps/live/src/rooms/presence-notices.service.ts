/**
 * Who joined and who left, told to the rest of the room. In a class (up to
 * PRESENCE_BATCH_ABOVE people) each change goes out at once as `peer:joined`,
 * `peer:updated` or `peer:left`. In a webinar, one message per change to every
 * other person is quadratic: 1,000 people joining within 10 s made half a
 * million socket writes and held the live node's event loop, so joins waited
 * behind them (bench:storm). There the changes of PRESENCE_BATCH_MS go out as
 * one `peers:changed`, with each changed person's state at the moment it is
 * sent (present: their current PeerInfo; gone: their id), so a later immediate
 * notice (moderation's `peer:updated`) is never overtaken by an older state.
 */
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ServerEvent } from '@balai/live-contract';
import { RoomNotifier } from '../signalling/room-notifier.service';
import type { LiveSocket } from '../signalling/socket-data';
import type { Room } from './room';

/** Rooms with more people than this get their presence changes in batches. */
export const PRESENCE_BATCH_ABOVE = 50;
/** How long changes are gathered in a large room (how late a join may show there). */
export const PRESENCE_BATCH_MS = 500;

interface Batch {
  room: Room;
  peerIds: Set<string>;
  timer: NodeJS.Timeout;
}

@Injectable()
export class PresenceNotices implements OnModuleDestroy {
  private readonly batches = new Map<string, Batch>();

  constructor(private readonly notifier: RoomNotifier) {}

  onModuleDestroy(): void {
    for (const batch of this.batches.values()) clearTimeout(batch.timer);
    this.batches.clear();
  }

  /** `peerId` entered the room (`replacing`: from a newer connection of someone already in it). */
  joined(room: Room, peerId: string, socket: LiveSocket, replacing: boolean): void {
    if (this.batched(room, peerId)) return;
    const info = room.peerInfo(room.peers.get(peerId)!);
    this.notifier.toRoom(room.sessionId, replacing ? ServerEvent.PeerUpdated : ServerEvent.PeerJoined, info, socket);
  }

  /** `peerId` is no longer in the room. */
  left(room: Room, peerId: string): void {
    if (this.batched(room, peerId)) return;
    this.notifier.toRoom(room.sessionId, ServerEvent.PeerLeft, { peerId });
  }

  /** Sends what is gathered for the room now (the room is closing, or a test wants it). */
  flush(sessionId: string): void {
    const batch = this.batches.get(sessionId);
    if (!batch) return;
    clearTimeout(batch.timer);
    this.batches.delete(sessionId);
    const { room } = batch;
    if (room.closed) return;
    const peers = [];
    const left = [];
    for (const peerId of batch.peerIds) {
      const peer = room.peers.get(peerId);
      if (peer) peers.push(room.peerInfo(peer));
      else left.push(peerId);
    }
    this.notifier.toRoom(room.sessionId, ServerEvent.PeersChanged, { peers, left });
  }

  /** True when the change joins a batch (a large room, or one with a batch still open: order is kept). */
  private batched(room: Room, peerId: string): boolean {
    let batch = this.batches.get(room.sessionId);
    // The session's previous room (closed, or an edge room adopted since): what it gathered goes first.
    if (batch && batch.room !== room) {
      this.flush(room.sessionId);
      batch = undefined;
    }
    if (!batch && room.peers.size <= PRESENCE_BATCH_ABOVE) return false;
    if (!batch) {
      const sessionId = room.sessionId;
      batch = { room, peerIds: new Set(), timer: setTimeout(() => this.flush(sessionId), PRESENCE_BATCH_MS) };
      batch.timer.unref();
      this.batches.set(sessionId, batch);
    }
    batch.peerIds.add(peerId);
    return true;
  }
}
