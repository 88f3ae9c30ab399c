import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Server } from 'socket.io';
import { ClientEvent, LiveErrorCode } from '@balai/live-contract';
import { socketAuthMiddleware } from '../auth/socket-auth.middleware';
import type { LiveAppEnv } from '../config/live-config';
import { MediaService } from '../media/media.service';
import { LiveException } from '../signalling/live.exception';
import { RoomNotifier } from '../signalling/room-notifier.service';
import { SignalRunner } from '../signalling/signal-runner.service';
import type { LiveSocket } from '../signalling/socket-data';
import { MembershipService } from './membership.service';
import { RoomRegistry } from './room-registry.service';

/** Connection lifecycle and room membership events. */
@WebSocketGateway({ cors: { origin: true, credentials: true } })
export class RoomGateway implements OnGatewayInit, OnGatewayDisconnect {
  private readonly logger = new Logger(RoomGateway.name);

  constructor(
    private readonly signals: SignalRunner,
    private readonly membership: MembershipService,
    private readonly registry: RoomRegistry,
    private readonly notifier: RoomNotifier,
    private readonly config: ConfigService<LiveAppEnv, true>,
    private readonly media: MediaService,
  ) {}

  afterInit(server: Server): void {
    this.notifier.attach(server);
    server.engine.opts.pingInterval = this.config.get('SOCKET_PING_INTERVAL_MS', { infer: true });
    server.engine.opts.pingTimeout = this.config.get('SOCKET_PING_TIMEOUT_MS', { infer: true });
    server.use(socketAuthMiddleware(this.config.get('JWT_SECRET', { infer: true })));
  }

  handleDisconnect(socket: LiveSocket): void {
    this.membership
      .disconnected(socket)
      .catch((error: unknown) => this.logger.error({ err: error, socketId: socket.id }, 'disconnect cleanup failed'));
  }

  @SubscribeMessage(ClientEvent.RoomJoin)
  join(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    const at = new Date();
    return this.signals.run(socket, ClientEvent.RoomJoin, body, async (input) => {
      const joined = await this.membership.join(socket, input.sessionId, at);
      if (!input.recvTransport) return joined;
      // The receive transport in the same ack: one round trip less to the first audio on a slow link (#10).
      // If it cannot be made here the join stands; the client asks transport:create as before.
      const member = this.registry.findMember(socket);
      const recvTransport = member
        ? await this.media.createTransport(member.room, member.peer, { direction: 'recv' }).catch(() => undefined)
        : undefined;
      return recvTransport ? { ...joined, recvTransport } : joined;
    });
  }

  @SubscribeMessage(ClientEvent.RoomLeave)
  leave(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    const at = new Date();
    return this.signals.run(socket, ClientEvent.RoomLeave, body, async (input) => {
      const member = this.registry.findMember(socket);
      if (member) {
        await this.membership.leave(member.room, member.peer, at);
        return {};
      }
      // Not in a room on this connection: still record the leave of the session the client names.
      const sessionId = input.sessionId ?? socket.data.sessionId;
      if (!sessionId)
        throw new LiveException(LiveErrorCode.NotInRoom, 'join the room first, or name the session to leave');
      await this.membership.leaveWithoutRoom(socket.data.user.id, sessionId, at);
      return {};
    });
  }

  @SubscribeMessage(ClientEvent.SessionEnd)
  end(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown) {
    return this.signals.run(socket, ClientEvent.SessionEnd, body, async () => {
      const { room, peer } = this.registry.requireMember(socket);
      await this.membership.endByHost(room, peer);
      return {};
    });
  }
}
