import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { ClientEvent } from '@balai/live-contract';
import { RoomRegistry } from '../rooms/room-registry.service';
import { SignalRunner } from '../signalling/signal-runner.service';
import type { LiveSocket } from '../signalling/socket-data';
import { RecordingService } from './recording.service';

/** Start/stop of the room's recording (host or moderator) and its status. */
@WebSocketGateway({ cors: { origin: true, credentials: true } })
export class RecordingGateway {
  constructor(
    private readonly signals: SignalRunner,
    private readonly registry: RoomRegistry,
    private readonly recordings: RecordingService,
  ) {}

  @SubscribeMessage(ClientEvent.RecordingStart)
  start(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.RecordingStart, body, () => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.recordings.start(room, peer);
    });
  }

  @SubscribeMessage(ClientEvent.RecordingStop)
  stop(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.RecordingStop, body, () => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.recordings.stop(room, peer);
    });
  }

  /** Allowed before room:join: a participant is told the session is recorded before entering. */
  @SubscribeMessage(ClientEvent.RecordingQuery)
  query(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.RecordingQuery, body, (input) =>
      this.recordings.query(socket.data.user, input.sessionId),
    );
  }
}
