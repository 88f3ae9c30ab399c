/**
 * Questions, upvotes, polls and votes of a session in the database (the
 * durable truth: it outlives Redis keys, live processes and the session).
 * Always scoped by session or course. One document per person and question /
 * poll through derived string ids, never through a guarded update.
 */
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { isDuplicateKeyError } from '@balai/common';
import { LivePoll, LiveQuestion, pollVoteId, PollVote, QuestionUpvote, questionUpvoteId } from '@balai/database';
import type { PollStatus, QuestionStatus } from '@balai/live-contract';
import { BatchedWriter } from './vote-writer';

export interface QuestionRecord {
  id: string;
  sessionId: string;
  userId: string;
  name: string;
  text: string;
  anonymous: boolean;
  status: QuestionStatus;
  answer: string | null;
  pinned: boolean;
  at: Date;
}

export interface PollRecord {
  id: string;
  courseId: string;
  sessionId: string | null;
  question: string;
  options: string[];
  multiple: boolean;
  allowChange: boolean;
  status: PollStatus;
  revealed: boolean;
  openedAt: Date | null;
  closedAt: Date | null;
  counts: number[] | null;
  voters: number | null;
}

export interface PollDefinition {
  question: string;
  options: string[];
  multiple: boolean;
  allowChange: boolean;
}

type QuestionDoc = Pick<
  LiveQuestion,
  '_id' | 'sessionId' | 'userId' | 'name' | 'text' | 'anonymous' | 'status' | 'answer' | 'pinned' | 'createdAt'
>;

function toQuestion(doc: QuestionDoc): QuestionRecord {
  return {
    id: String(doc._id),
    sessionId: String(doc.sessionId),
    userId: String(doc.userId),
    name: doc.name,
    text: doc.text,
    anonymous: !!doc.anonymous,
    status: doc.status as QuestionStatus,
    answer: doc.answer ?? null,
    pinned: !!doc.pinned,
    at: doc.createdAt,
  };
}

function toPoll(doc: LivePoll): PollRecord {
  return {
    id: String(doc._id),
    courseId: String(doc.courseId),
    sessionId: doc.sessionId ? String(doc.sessionId) : null,
    question: doc.question,
    options: [...doc.options],
    multiple: !!doc.multiple,
    allowChange: doc.allowChange !== false,
    status: doc.status as PollStatus,
    revealed: !!doc.revealed,
    openedAt: doc.openedAt ?? null,
    closedAt: doc.closedAt ?? null,
    counts: doc.counts?.length ? [...doc.counts] : null,
    voters: doc.voters ?? null,
  };
}

/** The id of a prepared poll's launch in a session: launching it twice in one session gives the same poll. */
export function launchedPollId(preparedId: string, sessionId: string): Types.ObjectId {
  return new Types.ObjectId(
    createHash('sha256').update(`poll-launch:${preparedId}:${sessionId}`).digest().subarray(0, 12),
  );
}

@Injectable()
export class InteractionRepository {
  constructor(
    @InjectModel(LiveQuestion.name) private readonly questions: Model<LiveQuestion>,
    @InjectModel(QuestionUpvote.name) private readonly upvotes: Model<QuestionUpvote>,
    @InjectModel(LivePoll.name) private readonly polls: Model<LivePoll>,
    @InjectModel(PollVote.name) private readonly votes: Model<PollVote>,
  ) {
    this.voteWriter = new BatchedWriter(votes);
    this.upvoteWriter = new BatchedWriter(upvotes);
  }

  private readonly voteWriter: BatchedWriter<PollVote>;
  private readonly upvoteWriter: BatchedWriter<QuestionUpvote>;

  // ---- questions ----

  async addQuestion(
    sessionId: string,
    courseId: string,
    user: { id: string; name: string },
    text: string,
    anonymous: boolean,
    at: Date,
  ): Promise<QuestionRecord> {
    const doc = await this.questions.create({
      sessionId: new Types.ObjectId(sessionId),
      courseId: new Types.ObjectId(courseId),
      userId: new Types.ObjectId(user.id),
      name: user.name,
      text,
      anonymous,
      status: 'open',
      pinned: false,
      createdAt: at,
    });
    return toQuestion(doc);
  }

  async sessionQuestions(sessionId: string): Promise<QuestionRecord[]> {
    const docs = await this.questions
      .find({ sessionId: new Types.ObjectId(sessionId) })
      .sort({ createdAt: 1 })
      .lean();
    return docs.map(toQuestion);
  }

  async updateQuestion(
    sessionId: string,
    questionId: string,
    set: Partial<Pick<LiveQuestion, 'status' | 'answer' | 'pinned' | 'answeredAt'>> & { handledBy?: string },
  ): Promise<void> {
    const { handledBy, ...rest } = set;
    await this.questions.updateOne(
      { _id: new Types.ObjectId(questionId), sessionId: new Types.ObjectId(sessionId) },
      { $set: handledBy ? { ...rest, handledBy: new Types.ObjectId(handledBy) } : rest },
    );
  }

  /** Upvote stored; false when this person's upvote was already there. */
  addUpvote(sessionId: string, questionId: string, userId: string): Promise<boolean> {
    return this.upvoteWriter.write({
      insertOne: {
        document: {
          _id: questionUpvoteId(questionId, userId),
          sessionId: new Types.ObjectId(sessionId),
          questionId: new Types.ObjectId(questionId),
          userId: new Types.ObjectId(userId),
        } as QuestionUpvote,
      },
    });
  }

  removeUpvote(questionId: string, userId: string): Promise<boolean> {
    return this.upvoteWriter.write({ deleteOne: { filter: { _id: questionUpvoteId(questionId, userId) } } });
  }

  /** Upvotes per question and who upvoted what (for rebuilding counts and the API). */
  async sessionUpvotes(sessionId: string): Promise<Array<{ questionId: string; userId: string }>> {
    const docs = await this.upvotes
      .find({ sessionId: new Types.ObjectId(sessionId) }, { questionId: 1, userId: 1 })
      .lean();
    return docs.map((d) => ({ questionId: String(d.questionId), userId: String(d.userId) }));
  }

  // ---- polls ----

  async sessionPolls(sessionId: string): Promise<PollRecord[]> {
    const docs = await this.polls.find({ sessionId: new Types.ObjectId(sessionId) }).lean();
    return docs.map((d) => toPoll(d as LivePoll));
  }

  async preparedPolls(courseId: string): Promise<PollRecord[]> {
    const docs = await this.polls
      .find({ courseId: new Types.ObjectId(courseId), status: 'prepared' })
      .sort({ createdAt: 1 })
      .lean();
    return docs.map((d) => toPoll(d as LivePoll));
  }

  async findPoll(pollId: string): Promise<PollRecord | null> {
    const doc = await this.polls.findById(new Types.ObjectId(pollId)).lean();
    return doc ? toPoll(doc as LivePoll) : null;
  }

  async createOpenPoll(
    sessionId: string,
    courseId: string,
    createdBy: string,
    def: PollDefinition,
    at: Date,
    preparedId?: string,
  ): Promise<{ poll: PollRecord; created: boolean }> {
    const _id = preparedId ? launchedPollId(preparedId, sessionId) : new Types.ObjectId();
    try {
      const doc = await this.polls.create({
        _id,
        courseId: new Types.ObjectId(courseId),
        sessionId: new Types.ObjectId(sessionId),
        preparedId: preparedId ? new Types.ObjectId(preparedId) : undefined,
        ...def,
        status: 'open',
        revealed: false,
        createdBy: new Types.ObjectId(createdBy),
        openedAt: at,
      });
      return { poll: toPoll(doc.toObject() as LivePoll), created: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.findPoll(String(_id));
      if (!existing) throw error;
      return { poll: existing, created: false };
    }
  }

  async updatePoll(
    pollId: string,
    set: Partial<Pick<LivePoll, 'status' | 'revealed' | 'closedAt' | 'counts' | 'voters'>>,
  ): Promise<void> {
    await this.polls.updateOne({ _id: new Types.ObjectId(pollId) }, { $set: set });
  }

  /**
   * Stores a person's vote (batched with others arriving meanwhile, see
   * BatchedWriter). A first vote is an insert under the derived id, so the
   * primary key refuses a second one (false); a changed vote (`replace`, only
   * where the poll allows changes) replaces the person's earlier one.
   */
  async putVote(poll: PollRecord, userId: string, choices: number[], replace: boolean): Promise<boolean> {
    const _id = pollVoteId(poll.id, userId);
    const now = new Date();
    const doc = {
      _id,
      pollId: new Types.ObjectId(poll.id),
      sessionId: new Types.ObjectId(poll.sessionId!),
      userId: new Types.ObjectId(userId),
      choices,
      createdAt: now,
      updatedAt: now,
    } as PollVote;
    if (!replace) return this.voteWriter.write({ insertOne: { document: doc } });
    return this.voteWriter.write({ replaceOne: { filter: { _id }, replacement: doc, upsert: true } });
  }

  async removeVote(pollId: string, userId: string): Promise<void> {
    await this.votes.deleteOne({ _id: pollVoteId(pollId, userId) });
  }

  async pollVotes(pollId: string): Promise<Array<{ userId: string; choices: number[] }>> {
    const docs = await this.votes.find({ pollId: new Types.ObjectId(pollId) }, { userId: 1, choices: 1 }).lean();
    return docs.map((d) => ({ userId: String(d.userId), choices: [...d.choices] }));
  }
}
