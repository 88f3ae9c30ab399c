/** Read side of the live room's Q&A and polls, and the polls prepared on a course page. Plain objects. */
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { LivePoll, LiveQuestion, PollVote, QuestionUpvote } from '@balai/database';

export type PollDoc = LivePoll;
export type QuestionDoc = LiveQuestion;

@Injectable()
export class InteractionRepository {
  constructor(
    @InjectModel(LiveQuestion.name) private readonly questions: Model<LiveQuestion>,
    @InjectModel(QuestionUpvote.name) private readonly upvotes: Model<QuestionUpvote>,
    @InjectModel(LivePoll.name) private readonly polls: Model<LivePoll>,
    @InjectModel(PollVote.name) private readonly votes: Model<PollVote>,
  ) {}

  preparedPolls(courseId: string): Promise<PollDoc[]> {
    return this.polls
      .find({ courseId: new Types.ObjectId(courseId), status: 'prepared' })
      .sort({ createdAt: 1 })
      .lean<PollDoc[]>()
      .exec();
  }

  async createPrepared(
    courseId: string,
    createdBy: string,
    def: Pick<LivePoll, 'question' | 'options' | 'multiple' | 'allowChange'>,
  ): Promise<PollDoc> {
    const doc = await this.polls.create({
      courseId: new Types.ObjectId(courseId),
      ...def,
      status: 'prepared',
      revealed: false,
      createdBy: new Types.ObjectId(createdBy),
    });
    return doc.toObject() as PollDoc;
  }

  /** Deletes a prepared poll of this course; false when there is none. */
  async deletePrepared(courseId: string, pollId: string): Promise<boolean> {
    const result = await this.polls.deleteOne({
      _id: new Types.ObjectId(pollId),
      courseId: new Types.ObjectId(courseId),
      status: 'prepared',
    });
    return result.deletedCount === 1;
  }

  sessionPolls(sessionId: string): Promise<PollDoc[]> {
    return this.polls
      .find({ sessionId: new Types.ObjectId(sessionId) })
      .lean<PollDoc[]>()
      .exec();
  }

  async pollVotes(pollId: Types.ObjectId): Promise<number[][]> {
    const docs = await this.votes.find({ pollId }, { choices: 1 }).lean();
    return docs.map((d) => d.choices);
  }

  sessionQuestions(sessionId: string): Promise<QuestionDoc[]> {
    return this.questions
      .find({ sessionId: new Types.ObjectId(sessionId) })
      .sort({ createdAt: 1 })
      .lean<QuestionDoc[]>()
      .exec();
  }

  /** Upvotes per question id of a session. */
  async upvoteCounts(sessionId: string): Promise<Map<string, number>> {
    const docs = await this.upvotes.find({ sessionId: new Types.ObjectId(sessionId) }, { questionId: 1 }).lean();
    const counts = new Map<string, number>();
    for (const d of docs) counts.set(String(d.questionId), (counts.get(String(d.questionId)) ?? 0) + 1);
    return counts;
  }
}
