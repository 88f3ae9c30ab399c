/**
 * Where interaction notifications go. Every emit goes through the socket.io
 * server and therefore through the Redis adapter, so peers of the session on
 * any live node get it. Hosts and moderators join a staff channel of the
 * session on `interaction:sync`; participants are "the session minus staff".
 */
import { Injectable } from '@nestjs/common';
import type { InteractionNotifications } from '@balai/live-contract';
import { RoomNotifier } from '../signalling/room-notifier.service';
import { LiveSocket, sessionChannel } from '../signalling/socket-data';

export const staffChannel = (sessionId: string) => `session:${sessionId}:staff`;

type Event = keyof InteractionNotifications;

@Injectable()
export class InteractionChannels {
  constructor(private readonly notifier: RoomNotifier) {}

  async joinStaff(socket: LiveSocket, sessionId: string): Promise<void> {
    await socket.join(staffChannel(sessionId));
  }

  toAll<E extends Event>(sessionId: string, event: E, payload: InteractionNotifications[E]): void {
    this.notifier.io.to(sessionChannel(sessionId)).emit(event, payload);
  }

  toStaff<E extends Event>(sessionId: string, event: E, payload: InteractionNotifications[E]): void {
    this.notifier.io.to(staffChannel(sessionId)).emit(event, payload);
  }

  toParticipants<E extends Event>(sessionId: string, event: E, payload: InteractionNotifications[E]): void {
    this.notifier.io.to(sessionChannel(sessionId)).except(staffChannel(sessionId)).emit(event, payload);
  }
}
