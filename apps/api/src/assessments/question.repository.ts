import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Question } from '@balai/database';

export type QuestionRecord = Question;
export type QuestionInput = Pick<Question, 'type' | 'text' | 'imageUrl' | 'points' | 'options' | 'position'>;

/** The question bank, always scoped by course. */
@Injectable()
export class QuestionRepository {
  constructor(@InjectModel(Question.name) private readonly model: Model<Question>) {}

  byCourse(courseId: Types.ObjectId): Promise<QuestionRecord[]> {
    return this.model.find({ courseId }).sort({ position: 1, _id: 1 }).lean<QuestionRecord[]>().exec();
  }

  count(courseId: Types.ObjectId): Promise<number> {
    return this.model.countDocuments({ courseId }).exec();
  }

  findInCourse(courseId: Types.ObjectId, id: string): Promise<QuestionRecord | null> {
    return this.model
      .findOne({ _id: new Types.ObjectId(id), courseId })
      .lean<QuestionRecord>()
      .exec();
  }

  findById(id: string): Promise<QuestionRecord | null> {
    return this.model.findById(id).lean<QuestionRecord>().exec();
  }

  async insertMany(courseId: Types.ObjectId, questions: QuestionInput[]): Promise<void> {
    if (questions.length) await this.model.insertMany(questions.map((q) => ({ ...q, courseId })));
  }

  async create(courseId: Types.ObjectId, question: QuestionInput): Promise<QuestionRecord> {
    return (await this.model.create({ ...question, courseId })).toObject();
  }

  update(courseId: Types.ObjectId, id: Types.ObjectId, set: Partial<QuestionInput>): Promise<QuestionRecord | null> {
    return this.model
      .findOneAndUpdate({ _id: id, courseId }, { $set: set }, { new: true, runValidators: true })
      .lean<QuestionRecord>()
      .exec();
  }

  /** Sets or (null) removes the question's image link. */
  setImage(courseId: Types.ObjectId, id: Types.ObjectId, imageUrl: string | null): Promise<QuestionRecord | null> {
    return this.model
      .findOneAndUpdate({ _id: id, courseId }, imageUrl ? { $set: { imageUrl } } : { $unset: { imageUrl: 1 } }, {
        new: true,
      })
      .lean<QuestionRecord>()
      .exec();
  }

  async delete(courseId: Types.ObjectId, id: Types.ObjectId): Promise<boolean> {
    return (await this.model.deleteOne({ _id: id, courseId }).exec()).deletedCount > 0;
  }
}
