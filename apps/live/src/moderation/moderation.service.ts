/**
 * What hosts and moderators do to participants: invite to speak and revoke,
 * mute the microphone, stop the camera, remove from the session (who then
 * cannot rejoin it). Every action checks the actor's role and the target here.
 */
import { Injectable } from '@nestjs/common';
import { PeerInfo, ServerEvent } from '@balai/live-contract';
import { MediaService } from '../media/media.service';
import { AdmissionService } from '../rooms/admission.service';
import { MembershipService } from '../rooms/membership.service';
import type { Peer } from '../rooms/peer';
import { RemovalStore } from '../rooms/removal.store';
import type { Room } from '../rooms/room';
import { badState, forbidden, notFound } from '../signalling/live.exception';
import { RoomNotifier } from '../signalling/room-notifier.service';
import { HandsService } from './hands.service';

@Injectable()
export class ModerationService {
  constructor(
    private readonly media: MediaService,
    private readonly hands: HandsService,
    private readonly membership: MembershipService,
    private readonly removals: RemovalStore,
    private readonly admission: AdmissionService,
    private readonly notifier: RoomNotifier,
  ) {}

  /** The participant an actor may act on. */
  private target(room: Room, actor: Peer, peerId: string): Peer {
    if (!actor.isStaff) throw forbidden('only hosts and moderators may do this');
    if (peerId === actor.peerId) throw badState('you cannot do this to yourself');
    const target = room.peers.get(peerId);
    if (!target) throw notFound('no such peer in the room');
    if (target.isStaff) throw forbidden('hosts and moderators cannot be moderated');
    return target;
  }

  invite(room: Room, actor: Peer, peerId: string, camera: boolean): PeerInfo {
    const target = this.target(room, actor, peerId);
    target.canSpeak = true;
    target.canCamera = camera;
    this.hands.remove(room, target.peerId);
    this.notifier.toSocket(target.socket, ServerEvent.SpeakGranted, { camera });
    return this.announce(room, target);
  }

  revoke(room: Room, actor: Peer, peerId: string): PeerInfo {
    const target = this.target(room, actor, peerId);
    if (!target.canSpeak && !target.canCamera) throw badState('this participant was not invited to speak');
    target.canSpeak = false;
    target.canCamera = false;
    this.media.closeSources(target, ['mic', 'camera', 'screen']);
    for (const [id, transport] of target.transports) {
      if (transport.appData.direction === 'send') {
        transport.close();
        target.transports.delete(id);
      }
    }
    this.notifier.toSocket(target.socket, ServerEvent.SpeakRevoked, {});
    return this.announce(room, target);
  }

  /** Pauses the participant's microphone on the server; they cannot unpause it themselves. */
  async mute(room: Room, actor: Peer, peerId: string): Promise<{ producerIds: string[] }> {
    const target = this.target(room, actor, peerId);
    const mic = target.producerBySource('mic');
    if (!mic) throw notFound('this participant has no microphone on');
    if (!mic.paused) {
      await mic.pause();
      this.notifier.toRoom(room.sessionId, ServerEvent.ProducerPaused, { producerId: mic.id, paused: true });
    }
    return { producerIds: [mic.id] };
  }

  stopCamera(room: Room, actor: Peer, peerId: string): { producerIds: string[] } {
    const target = this.target(room, actor, peerId);
    target.canCamera = false;
    const producerIds = this.media.closeSources(target, ['camera']);
    this.announce(room, target);
    return { producerIds };
  }

  async remove(room: Room, actor: Peer, peerId: string, reason?: string): Promise<Record<string, never>> {
    const target = this.target(room, actor, peerId);
    await this.removals.add(room.sessionId, target.userId, this.admission.closesAt(room.session));
    await this.membership.evict(
      room,
      target,
      { reason: 'removed', message: reason ?? 'you were removed from this session by the host' },
      'removed',
    );
    return {};
  }

  private announce(room: Room, target: Peer): PeerInfo {
    const info = room.peerInfo(target);
    this.notifier.toRoom(room.sessionId, ServerEvent.PeerUpdated, info);
    return info;
  }
}
