/**
 * Question bank, test settings, attempts and per-answer saves (issue 11).
 * Attempts and answers have ids derived from their natural keys (course, kind,
 * participant, attempt number; attempt, question), so starting an attempt twice
 * or saving an answer twice can never make two documents, on MongoDB or FerretDB,
 * and every hot read is by primary key.
 */
import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { createHash } from 'node:crypto';
import { HydratedDocument, Types } from 'mongoose';
import { QUESTION_TYPES, QuestionType, TEST_KINDS, TestKind } from '@balai/domain/assessment';

@Schema({ _id: false })
export class QuestionOption {
  /** Stable within the question (a short random id), so answers survive re-ordering and edits of the text. */
  @Prop({ required: true }) id!: string;
  @Prop({ required: true, maxlength: 1000 }) text!: string;
  @Prop({ required: true }) correct!: boolean;
}
export const QuestionOptionSchema = SchemaFactory.createForClass(QuestionOption);

@Schema({ collection: 'assessment_questions', timestamps: true })
export class Question {
  _id!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'Course', required: true }) courseId!: Types.ObjectId;
  @Prop({ type: String, required: true, enum: QUESTION_TYPES }) type!: QuestionType;
  @Prop({ required: true, maxlength: 2000 }) text!: string;
  /** Optional illustration: an https URL or a course material download path. */
  @Prop({ maxlength: 1000 }) imageUrl?: string;
  @Prop({ required: true, min: 1, max: 100 }) points!: number;
  @Prop({ type: [QuestionOptionSchema], default: [] }) options!: QuestionOption[];
  @Prop({ required: true, default: 0 }) position!: number;
  createdAt!: Date;
  updatedAt!: Date;
}
export type QuestionDocument = HydratedDocument<Question>;
export const QuestionSchema = SchemaFactory.createForClass(Question);
QuestionSchema.index({ courseId: 1, position: 1 });

@Schema({ _id: false })
export class TestSettings {
  @Prop({ default: true }) enabled!: boolean;
  @Prop({ required: true, min: 1, max: 240 }) timeLimitMinutes!: number;
  @Prop({ required: true, min: 1, max: 10 }) maxAttempts!: number;
  /** Post-test only: days it stays open. */
  @Prop({ min: 1, max: 90 }) openDays?: number;
  /** Post-test only: opened early by a trainer. */
  @Prop() openedAt?: Date;
}
export const TestSettingsSchema = SchemaFactory.createForClass(TestSettings);

/** One per course (`_id` is the course id): test settings and the assessment conditions of its certificate. */
@Schema({ collection: 'assessment_settings', timestamps: true })
export class AssessmentSettings {
  _id!: Types.ObjectId;
  @Prop({ type: TestSettingsSchema }) pre?: TestSettings;
  @Prop({ type: TestSettingsSchema }) post?: TestSettings;
  /** Certificate needs a post-test score at or above this percent (null: not required). */
  @Prop({ type: Number, min: 0, max: 100, default: null }) minPostTestPercent?: number | null;
  /** Certificate needs the evaluation survey submitted. */
  @Prop({ default: false }) requireEvaluation!: boolean;
  createdAt!: Date;
  updatedAt!: Date;
}
export const AssessmentSettingsSchema = SchemaFactory.createForClass(AssessmentSettings);

/** A question as the attempt froze it at its start (shuffled), so later edits of the bank never change a score. */
@Schema({ _id: false })
export class AttemptQuestion {
  @Prop({ required: true }) id!: string;
  @Prop({ type: String, required: true, enum: QUESTION_TYPES }) type!: QuestionType;
  @Prop({ required: true }) text!: string;
  @Prop() imageUrl?: string;
  @Prop({ required: true }) points!: number;
  @Prop({ type: [QuestionOptionSchema], default: [] }) options!: QuestionOption[];
}
export const AttemptQuestionSchema = SchemaFactory.createForClass(AttemptQuestion);

@Schema({ collection: 'test_attempts', timestamps: true })
export class TestAttempt {
  _id!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'Course', required: true }) courseId!: Types.ObjectId;
  @Prop({ type: String, required: true, enum: TEST_KINDS }) kind!: TestKind;
  @Prop({ type: Types.ObjectId, ref: 'User', required: true }) userId!: Types.ObjectId;
  /** 1-based. */
  @Prop({ required: true }) number!: number;
  @Prop({ required: true }) startedAt!: Date;
  /** Server-side: the time limit, cut by the test's close. Answers after it are refused. */
  @Prop({ required: true }) deadlineAt!: Date;
  @Prop({ type: [AttemptQuestionSchema], default: [] }) questions!: AttemptQuestion[];
  @Prop() submittedAt?: Date;
  /** 'submit' by the participant, 'timeout' when the deadline closed it. */
  @Prop({ type: String, enum: ['submit', 'timeout'] }) closedBy?: 'submit' | 'timeout';
  @Prop() score?: number;
  @Prop() maxScore?: number;
  @Prop() percent?: number;
  createdAt!: Date;
  updatedAt!: Date;
}
export type TestAttemptDocument = HydratedDocument<TestAttempt>;
export const TestAttemptSchema = SchemaFactory.createForClass(TestAttempt);
TestAttemptSchema.index({ courseId: 1, kind: 1, userId: 1, number: 1 }, { unique: true });
TestAttemptSchema.index({ courseId: 1, kind: 1 });

@Schema({ collection: 'test_answers', timestamps: false, versionKey: false })
export class TestAnswer {
  _id!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) attemptId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) courseId!: Types.ObjectId;
  @Prop({ required: true }) questionId!: string;
  @Prop({ type: [String], default: [] }) optionIds!: string[];
  @Prop({ required: true }) savedAt!: Date;
}
export const TestAnswerSchema = SchemaFactory.createForClass(TestAnswer);
TestAnswerSchema.index({ attemptId: 1 });

const derive = (key: string) => new Types.ObjectId(createHash('sha256').update(key).digest().subarray(0, 12));

/** Attempt `number` of a participant at one test of a course. */
export function testAttemptId(
  courseId: Types.ObjectId | string,
  kind: TestKind,
  userId: Types.ObjectId | string,
  number: number,
): Types.ObjectId {
  return derive(`attempt:${String(courseId)}:${kind}:${String(userId)}:${number}`);
}

/** The saved answer to one question of one attempt (re-saving replaces it). */
export function testAnswerId(attemptId: Types.ObjectId | string, questionId: string): Types.ObjectId {
  return derive(`answer:${String(attemptId)}:${questionId}`);
}
