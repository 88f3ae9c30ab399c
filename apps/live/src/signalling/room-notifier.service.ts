/**
 * The one way services talk to clients: typed server notifications to a
 * session's channel (across nodes, through the Redis adapter) or to a socket.
 * The gateway hands it the socket.io server at init.
 */
import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';
import type { ServerNotifications } from '@balai/live-contract';
import { LiveSocket, sessionChannel } from './socket-data';

type Event = keyof ServerNotifications;

@Injectable()
export class RoomNotifier {
  private server?: Server;

  attach(server: Server): void {
    this.server = server;
  }

  get io(): Server {
    if (!this.server) throw new Error('socket.io server not attached yet');
    return this.server;
  }

  toRoom<E extends Event>(sessionId: string, event: E, payload: ServerNotifications[E], except?: LiveSocket): void {
    const target = except ? except.to(sessionChannel(sessionId)) : this.io.to(sessionChannel(sessionId));
    target.emit(event, payload);
  }

  toSocket<E extends Event>(socket: LiveSocket, event: E, payload: ServerNotifications[E]): void {
    (socket as unknown as { emit(e: string, p: unknown): void }).emit(event, payload);
  }
}
