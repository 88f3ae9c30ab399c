/** Chat messages of a session; always scoped by session id. Returns plain objects. */
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { ChatMessage } from '@balai/database';
import type { ChatMessageInfo } from '@balai/live-contract';

const HISTORY_LIMIT = 100;

function toInfo(doc: Pick<ChatMessage, '_id' | 'userId' | 'name' | 'text' | 'createdAt'>): ChatMessageInfo {
  return {
    id: String(doc._id),
    peerId: String(doc.userId),
    name: doc.name,
    text: doc.text,
    at: doc.createdAt.toISOString(),
  };
}

@Injectable()
export class ChatRepository {
  constructor(@InjectModel(ChatMessage.name) private readonly messages: Model<ChatMessage>) {}

  /** `at` is when the person sent it (kept as createdAt: mongoose only fills an unset one). */
  async add(sessionId: string, userId: string, name: string, text: string, at = new Date()): Promise<ChatMessageInfo> {
    const doc = await this.messages.create({
      sessionId: new Types.ObjectId(sessionId),
      userId: new Types.ObjectId(userId),
      name,
      text,
      createdAt: at,
    });
    return toInfo(doc);
  }

  /** Soft-deletes a message of this session; false when there is no such (live) message. */
  async softDelete(sessionId: string, messageId: string, deletedBy: string): Promise<boolean> {
    const result = await this.messages.updateOne(
      { _id: new Types.ObjectId(messageId), sessionId: new Types.ObjectId(sessionId), deletedAt: { $exists: false } },
      { $set: { deletedAt: new Date(), deletedBy: new Types.ObjectId(deletedBy) } },
    );
    return result.modifiedCount === 1;
  }

  async recent(sessionId: string): Promise<ChatMessageInfo[]> {
    const docs = await this.messages
      .find({ sessionId: new Types.ObjectId(sessionId), deletedAt: { $exists: false } })
      .sort({ createdAt: -1 })
      .limit(HISTORY_LIMIT)
      .lean();
    return docs.reverse().map(toInfo);
  }
}
