import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

/**
 * A chat message of a session's live room, written by the live service and
 * kept with the session. Deletion by a host/moderator is a soft delete
 * (`deletedAt`, `deletedBy`) so moderation stays auditable.
 */
@Schema({ collection: 'chat_messages', timestamps: true })
export class ChatMessage {
  _id!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'CourseSession', required: true }) sessionId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'User', required: true }) userId!: Types.ObjectId;
  /** Sender's display name at the time of sending. */
  @Prop({ type: String, required: true, maxlength: 120 }) name!: string;
  @Prop({ type: String, required: true, maxlength: 1000 }) text!: string;
  @Prop() deletedAt?: Date;
  @Prop({ type: Types.ObjectId, ref: 'User' }) deletedBy?: Types.ObjectId;
  createdAt!: Date;
  updatedAt!: Date;
}
export type ChatMessageDocument = HydratedDocument<ChatMessage>;
export const ChatMessageSchema = SchemaFactory.createForClass(ChatMessage);
ChatMessageSchema.index({ sessionId: 1, createdAt: 1 });
