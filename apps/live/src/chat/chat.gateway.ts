import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { ClientEvent } from '@balai/live-contract';
import { RoomRegistry } from '../rooms/room-registry.service';
import { SignalRunner } from '../signalling/signal-runner.service';
import type { LiveSocket } from '../signalling/socket-data';
import { ChatService } from './chat.service';

@WebSocketGateway({ cors: { origin: true, credentials: true } })
export class ChatGateway {
  constructor(
    private readonly signals: SignalRunner,
    private readonly registry: RoomRegistry,
    private readonly chat: ChatService,
  ) {}

  @SubscribeMessage(ClientEvent.ChatSend)
  send(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    const at = new Date();
    return this.signals.run(socket, ClientEvent.ChatSend, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.chat.send(room, peer, input.text, at);
    });
  }

  @SubscribeMessage(ClientEvent.ChatDelete)
  delete(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.ChatDelete, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.chat.delete(room, peer, input.messageId);
    });
  }
}
