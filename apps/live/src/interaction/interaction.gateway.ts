/** Socket events of Q&A and polls: validated by the contract's schemas, role-checked in the services, acked. */
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { ClientEvent, InteractionSnapshot } from '@balai/live-contract';
import { RoomRegistry } from '../rooms/room-registry.service';
import { SignalRunner } from '../signalling/signal-runner.service';
import type { LiveSocket } from '../signalling/socket-data';
import { InteractionChannels } from './interaction-channels';
import { PollsService } from './polls.service';
import { QnaService } from './qna.service';

@WebSocketGateway({ cors: { origin: true, credentials: true } })
export class InteractionGateway {
  constructor(
    private readonly signals: SignalRunner,
    private readonly registry: RoomRegistry,
    private readonly qna: QnaService,
    private readonly polls: PollsService,
    private readonly channels: InteractionChannels,
  ) {}

  @SubscribeMessage(ClientEvent.InteractionSync)
  sync(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.InteractionSync, body, async (): Promise<InteractionSnapshot> => {
      const { room, peer } = this.registry.requireMember(socket);
      if (peer.isStaff) await this.channels.joinStaff(socket, room.sessionId);
      const [qna, polls] = await Promise.all([this.qna.snapshot(room, peer), this.polls.snapshot(room, peer)]);
      return { ...qna, ...polls };
    });
  }

  @SubscribeMessage(ClientEvent.QnaAsk)
  ask(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    const at = new Date();
    return this.signals.run(socket, ClientEvent.QnaAsk, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.qna.ask(room, peer, input.text, input.anonymous, at);
    });
  }

  @SubscribeMessage(ClientEvent.QnaUpvote)
  upvote(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.QnaUpvote, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.qna.upvote(room, peer, input.questionId, input.up);
    });
  }

  @SubscribeMessage(ClientEvent.QnaAnswer)
  answer(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.QnaAnswer, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.qna.answer(room, peer, input.questionId, input.answer);
    });
  }

  @SubscribeMessage(ClientEvent.QnaDismiss)
  dismiss(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.QnaDismiss, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.qna.dismiss(room, peer, input.questionId);
    });
  }

  @SubscribeMessage(ClientEvent.QnaPin)
  pin(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.QnaPin, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.qna.pin(room, peer, input.questionId);
    });
  }

  @SubscribeMessage(ClientEvent.PollCreate)
  create(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    const at = new Date();
    return this.signals.run(socket, ClientEvent.PollCreate, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.polls.create(room, peer, input, at);
    });
  }

  @SubscribeMessage(ClientEvent.PollLaunch)
  launch(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    const at = new Date();
    return this.signals.run(socket, ClientEvent.PollLaunch, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.polls.launch(room, peer, input.pollId, at);
    });
  }

  @SubscribeMessage(ClientEvent.PollVote)
  vote(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.PollVote, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.polls.vote(room, peer, input.pollId, input.choices);
    });
  }

  @SubscribeMessage(ClientEvent.PollReveal)
  reveal(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.PollReveal, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.polls.reveal(room, peer, input.pollId, input.revealed);
    });
  }

  @SubscribeMessage(ClientEvent.PollClose)
  close(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    const at = new Date();
    return this.signals.run(socket, ClientEvent.PollClose, body, (input) => {
      const { room, peer } = this.registry.requireMember(socket);
      return this.polls.close(room, peer, input.pollId, at);
    });
  }
}
