import { Injectable } from '@nestjs/common';
import { ServerEvent } from '@balai/live-contract';
import type { Peer } from '../rooms/peer';
import type { Room } from '../rooms/room';
import { badState, forbidden, notFound } from '../signalling/live.exception';
import { RoomNotifier } from '../signalling/room-notifier.service';

/** The raise-hand queue: participants in the order their hands went up. */
@Injectable()
export class HandsService {
  constructor(private readonly notifier: RoomNotifier) {}

  raise(room: Room, peer: Peer): { queue: string[] } {
    if (peer.isStaff) throw forbidden('hosts and moderators do not raise hands');
    if (peer.canSpeak) throw badState('you may already speak');
    if (!room.hands.includes(peer.peerId)) {
      room.hands.push(peer.peerId);
      this.publish(room);
    }
    return { queue: [...room.hands] };
  }

  lower(room: Room, actor: Peer, peerId?: string): { queue: string[] } {
    const target = peerId ?? actor.peerId;
    if (target !== actor.peerId && !actor.isStaff) throw forbidden('only hosts and moderators lower other hands');
    if (!room.hands.includes(target)) throw notFound('that hand is not raised');
    this.remove(room, target);
    return { queue: [...room.hands] };
  }

  remove(room: Room, peerId: string): void {
    if (!room.hands.includes(peerId)) return;
    room.hands = room.hands.filter((id) => id !== peerId);
    this.publish(room);
  }

  private publish(room: Room): void {
    this.notifier.toRoom(room.sessionId, ServerEvent.HandsUpdated, { queue: [...room.hands] });
  }
}
