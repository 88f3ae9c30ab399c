import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { ClientEvent } from '@balai/live-contract';
import { RoomRegistry } from '../rooms/room-registry.service';
import { SignalRunner } from '../signalling/signal-runner.service';
import type { LiveSocket } from '../signalling/socket-data';
import { HandsService } from './hands.service';
import { ModerationService } from './moderation.service';

/** Raise-hand queue and host/moderator actions on participants. */
@WebSocketGateway({ cors: { origin: true, credentials: true } })
export class ModerationGateway {
  constructor(
    private readonly signals: SignalRunner,
    private readonly registry: RoomRegistry,
    private readonly hands: HandsService,
    private readonly moderation: ModerationService,
  ) {}

  @SubscribeMessage(ClientEvent.HandRaise)
  raise(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.HandRaise, body, () => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.hands.raise(room, peer);
    });
  }

  @SubscribeMessage(ClientEvent.HandLower)
  lower(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.HandLower, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.hands.lower(room, peer, input.peerId);
    });
  }

  @SubscribeMessage(ClientEvent.SpeakInvite)
  invite(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.SpeakInvite, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.moderation.invite(room, peer, input.peerId, input.camera);
    });
  }

  @SubscribeMessage(ClientEvent.SpeakRevoke)
  revoke(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.SpeakRevoke, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.moderation.revoke(room, peer, input.peerId);
    });
  }

  @SubscribeMessage(ClientEvent.ModerationMute)
  mute(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.ModerationMute, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.moderation.mute(room, peer, input.peerId);
    });
  }

  @SubscribeMessage(ClientEvent.ModerationStopCamera)
  stopCamera(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.ModerationStopCamera, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.moderation.stopCamera(room, peer, input.peerId);
    });
  }

  @SubscribeMessage(ClientEvent.ModerationRemove)
  remove(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.ModerationRemove, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.moderation.remove(room, peer, input.peerId, input.reason);
    });
  }
}
