import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

/**
 * Webinar interaction (issue 12), written by the live service and read by the
 * API for the session page and CSV. One vote per person is carried by derived
 * string ids (`<questionId>:<userId>`, `<pollId>:<userId>`): the primary key
 * refuses a second document on MongoDB and FerretDB alike, where a guarded
 * update would not be applied atomically.
 */
@Schema({ collection: 'live_questions', timestamps: true })
export class LiveQuestion {
  _id!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'CourseSession', required: true }) sessionId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'Course', required: true }) courseId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'User', required: true }) userId!: Types.ObjectId;
  /** Asker's display name at the time (hidden from participants when anonymous). */
  @Prop({ type: String, required: true, maxlength: 120 }) name!: string;
  @Prop({ type: String, required: true, maxlength: 300 }) text!: string;
  @Prop({ type: Boolean, default: false }) anonymous!: boolean;
  @Prop({ type: String, enum: ['open', 'answered', 'dismissed'], default: 'open' }) status!: string;
  @Prop({ type: String, maxlength: 1000 }) answer?: string;
  @Prop({ type: Boolean, default: false }) pinned!: boolean;
  @Prop() answeredAt?: Date;
  @Prop({ type: Types.ObjectId, ref: 'User' }) handledBy?: Types.ObjectId;
  createdAt!: Date;
  updatedAt!: Date;
}
export type LiveQuestionDocument = HydratedDocument<LiveQuestion>;
export const LiveQuestionSchema = SchemaFactory.createForClass(LiveQuestion);
LiveQuestionSchema.index({ sessionId: 1, createdAt: 1 });

/** One person's upvote of one question; `_id` = `<questionId>:<userId>`. Taking it back deletes it. */
@Schema({ collection: 'live_question_upvotes', timestamps: { createdAt: true, updatedAt: false } })
export class QuestionUpvote {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: Types.ObjectId, required: true }) sessionId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) questionId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) userId!: Types.ObjectId;
  createdAt!: Date;
}
export const QuestionUpvoteSchema = SchemaFactory.createForClass(QuestionUpvote);
QuestionUpvoteSchema.index({ sessionId: 1 });

/**
 * A poll. Prepared on the course page (`sessionId` unset, status `prepared`)
 * or made in the room; launching a prepared poll in a session opens a copy
 * with a derived id (one launch per prepared poll and session).
 */
@Schema({ collection: 'live_polls', timestamps: true })
export class LivePoll {
  _id!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'Course', required: true }) courseId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'CourseSession' }) sessionId?: Types.ObjectId;
  @Prop({ type: Types.ObjectId }) preparedId?: Types.ObjectId;
  @Prop({ type: String, required: true, maxlength: 200 }) question!: string;
  @Prop({ type: [String], required: true }) options!: string[];
  @Prop({ type: Boolean, default: false }) multiple!: boolean;
  @Prop({ type: Boolean, default: true }) allowChange!: boolean;
  @Prop({ type: String, enum: ['prepared', 'open', 'closed'], required: true }) status!: string;
  @Prop({ type: Boolean, default: false }) revealed!: boolean;
  @Prop({ type: Types.ObjectId, ref: 'User', required: true }) createdBy!: Types.ObjectId;
  @Prop() openedAt?: Date;
  @Prop() closedAt?: Date;
  /** Final counts per option, counted from the votes when the poll closed. */
  @Prop({ type: [Number] }) counts?: number[];
  @Prop({ type: Number }) voters?: number;
  createdAt!: Date;
  updatedAt!: Date;
}
export type LivePollDocument = HydratedDocument<LivePoll>;
export const LivePollSchema = SchemaFactory.createForClass(LivePoll);
LivePollSchema.index({ courseId: 1, status: 1 });
LivePollSchema.index({ sessionId: 1 });

/** One person's vote in one poll; `_id` = `<pollId>:<userId>`. A change replaces `choices`. */
@Schema({ collection: 'live_poll_votes', timestamps: true })
export class PollVote {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: Types.ObjectId, required: true }) pollId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) sessionId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) userId!: Types.ObjectId;
  @Prop({ type: [Number], required: true }) choices!: number[];
  createdAt!: Date;
  updatedAt!: Date;
}
export const PollVoteSchema = SchemaFactory.createForClass(PollVote);
PollVoteSchema.index({ pollId: 1 });

export const questionUpvoteId = (questionId: string, userId: string) => `${questionId}:${userId}`;
export const pollVoteId = (pollId: string, userId: string) => `${pollId}:${userId}`;
