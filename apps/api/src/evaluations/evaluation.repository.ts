/**
 * Evaluation data. The submission (who) and the response (what) are written to
 * separate collections with nothing in common but the course; responses are
 * read in random-id order so not even insertion order links them.
 */
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { randomUUID } from 'node:crypto';
import {
  EvaluationForm,
  EvaluationItem,
  EvaluationRating,
  EvaluationResponse,
  EvaluationSubmission,
  evaluationSubmissionId,
} from '@balai/database';
import { isDuplicate } from '../assessments/attempt.repository';

@Injectable()
export class EvaluationRepository {
  constructor(
    @InjectModel(EvaluationForm.name) private readonly forms: Model<EvaluationForm>,
    @InjectModel(EvaluationSubmission.name) private readonly submissions: Model<EvaluationSubmission>,
    @InjectModel(EvaluationResponse.name) private readonly responses: Model<EvaluationResponse>,
  ) {}

  form(courseId: Types.ObjectId): Promise<EvaluationForm | null> {
    return this.forms.findById(courseId).lean<EvaluationForm>().exec();
  }

  async saveForm(courseId: Types.ObjectId, items: EvaluationItem[]): Promise<void> {
    await this.forms.updateOne({ _id: courseId }, { $set: { items } }, { upsert: true, runValidators: true }).exec();
  }

  async hasSubmitted(courseId: Types.ObjectId, userId: string): Promise<boolean> {
    return (await this.submissions.exists({ _id: evaluationSubmissionId(courseId, userId) }).exec()) !== null;
  }

  /**
   * Records that the participant submitted, then what was answered. False when
   * they had already submitted (the primary key refuses a second record).
   */
  async submit(
    courseId: Types.ObjectId,
    userId: string,
    ratings: EvaluationRating[],
    comment: string,
  ): Promise<boolean> {
    try {
      await this.submissions.create({
        _id: evaluationSubmissionId(courseId, userId),
        courseId,
        userId: new Types.ObjectId(userId),
        submittedAt: new Date(),
      });
    } catch (error) {
      if (isDuplicate(error)) return false;
      throw error;
    }
    await this.responses.create({ _id: randomUUID(), courseId, ratings, comment });
    return true;
  }

  responsesOf(courseId: Types.ObjectId): Promise<EvaluationResponse[]> {
    return this.responses
      .find({ courseId }, { _id: 1, ratings: 1, comment: 1 })
      .sort({ _id: 1 })
      .lean<EvaluationResponse[]>()
      .exec();
  }

  countResponses(courseId: Types.ObjectId): Promise<number> {
    return this.responses.countDocuments({ courseId }).exec();
  }
}
