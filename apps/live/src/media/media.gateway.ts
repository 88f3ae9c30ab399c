import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { ClientEvent } from '@balai/live-contract';
import { RoomRegistry } from '../rooms/room-registry.service';
import { SignalRunner } from '../signalling/signal-runner.service';
import type { LiveSocket } from '../signalling/socket-data';
import { MediaService } from './media.service';

/** Transports, producers, consumers and the viewer's quality reports. */
@WebSocketGateway({ cors: { origin: true, credentials: true } })
export class MediaGateway {
  constructor(
    private readonly signals: SignalRunner,
    private readonly registry: RoomRegistry,
    private readonly media: MediaService,
  ) {}

  @SubscribeMessage(ClientEvent.TransportCreate)
  createTransport(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.TransportCreate, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.media.createTransport(room, peer, input);
    });
  }

  @SubscribeMessage(ClientEvent.TransportConnect)
  connectTransport(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.TransportConnect, body, (input) =>
      this.media.connectTransport(this.registry.requireMember(socket).peer, input),
    );
  }

  @SubscribeMessage(ClientEvent.TransportRestartIce)
  restartIce(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.TransportRestartIce, body, (input) =>
      this.media.restartIce(this.registry.requireMember(socket).peer, input),
    );
  }

  @SubscribeMessage(ClientEvent.Produce)
  produce(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.Produce, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.media.produce(room, peer, input);
    });
  }

  @SubscribeMessage(ClientEvent.ProducerClose)
  closeProducer(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.ProducerClose, body, (input) => {
      this.media.closeProducer(this.registry.requireMember(socket).peer, input.producerId);
      return {};
    });
  }

  @SubscribeMessage(ClientEvent.Consume)
  consume(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.Consume, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.media.consume(room, peer, input);
    });
  }

  @SubscribeMessage(ClientEvent.ConsumerResume)
  resumeConsumer(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.ConsumerResume, body, (input) =>
      this.media.resumeConsumer(this.registry.requireMember(socket).peer, input.consumerId),
    );
  }

  @SubscribeMessage(ClientEvent.ReportViewport)
  reportViewport(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.ReportViewport, body, (input) =>
      this.media.reportViewport(this.registry.requireMember(socket).peer, input),
    );
  }

  @SubscribeMessage(ClientEvent.ReportNetwork)
  reportNetwork(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.ReportNetwork, body, (input) =>
      this.media.reportNetwork(this.registry.requireMember(socket).peer, input),
    );
  }

  @SubscribeMessage(ClientEvent.SetAudioOnly)
  setAudioOnly(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.SetAudioOnly, body, (input) =>
      this.media.setAudioOnly(this.registry.requireMember(socket).peer, input.enabled),
    );
  }
}
