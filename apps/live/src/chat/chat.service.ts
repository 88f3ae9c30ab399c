import { Injectable } from '@nestjs/common';
import { ChatMessageInfo, LiveErrorCode, ServerEvent } from '@balai/live-contract';
import type { Peer } from '../rooms/peer';
import type { Room } from '../rooms/room';
import { forbidden, LiveException, notFound } from '../signalling/live.exception';
import { RoomNotifier } from '../signalling/room-notifier.service';
import { ChatRateLimiter } from './chat-rate-limiter';
import { ChatRepository } from './chat.repository';

const HISTORY_IN_MEMORY = 100;

/** Room chat: stored with the session, rate-limited per user, deletable by hosts and moderators. */
@Injectable()
export class ChatService {
  constructor(
    private readonly repository: ChatRepository,
    private readonly limiter: ChatRateLimiter,
    private readonly notifier: RoomNotifier,
  ) {}

  /** Recent messages for a joiner: read from the store once per room, then kept in memory. */
  history(room: Room): Promise<ChatMessageInfo[]> {
    if (!room.chatHistory) {
      room.chatHistory = this.repository.recent(room.sessionId);
      room.chatHistory.catch(() => (room.chatHistory = undefined));
    }
    return room.chatHistory.then((list) => [...list]);
  }

  private async remember(room: Room, update: (list: ChatMessageInfo[]) => ChatMessageInfo[]): Promise<void> {
    if (!room.chatHistory) return;
    const list = await room.chatHistory.catch(() => undefined);
    if (list) room.chatHistory = Promise.resolve(update(list).slice(-HISTORY_IN_MEMORY));
  }

  /**
   * Applied now or reported failed: the limiter and the store fail fast while
   * Redis is away (no offline queue), so a message the sender was told had
   * failed never turns up later. `at` is when the person sent it.
   */
  async send(room: Room, peer: Peer, text: string, at = new Date()): Promise<ChatMessageInfo> {
    if (!(await this.limiter.allow(room.sessionId, peer.userId))) {
      throw new LiveException(LiveErrorCode.RateLimited, 'you are sending messages too fast');
    }
    const message = await this.repository.add(room.sessionId, peer.userId, peer.name, text, at);
    await this.remember(room, (list) => (list.some((m) => m.id === message.id) ? list : [...list, message]));
    this.notifier.toRoom(room.sessionId, ServerEvent.ChatMessage, message);
    return message;
  }

  async delete(room: Room, peer: Peer, messageId: string): Promise<Record<string, never>> {
    if (!peer.isStaff) throw forbidden('only hosts and moderators delete messages');
    if (!(await this.repository.softDelete(room.sessionId, messageId, peer.userId))) throw notFound('unknown message');
    await this.remember(room, (list) => list.filter((m) => m.id !== messageId));
    this.notifier.toRoom(room.sessionId, ServerEvent.ChatDeleted, { messageId });
    return {};
  }
}
