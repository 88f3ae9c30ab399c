/**
 * Evaluation survey ("evaluasi penyelenggaraan", issue 11). Anonymity is in the
 * data model: a response carries no user id, no timestamp and a random id (an
 * ObjectId would leak its creation second), and the separate submission record
 * that is linked to the participant carries no answers. Nothing can join them.
 */
import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { EVALUATION_CATEGORIES, EvaluationCategory } from '@balai/domain/assessment';

@Schema({ _id: false })
export class EvaluationItem {
  @Prop({ required: true, maxlength: 64 }) id!: string;
  @Prop({ type: String, required: true, enum: EVALUATION_CATEGORIES }) category!: EvaluationCategory;
  @Prop({ required: true, maxlength: 500 }) text!: string;
}
export const EvaluationItemSchema = SchemaFactory.createForClass(EvaluationItem);

/** A course's own form (`_id` is the course id); absent: the default template. */
@Schema({ collection: 'evaluation_forms', timestamps: true })
export class EvaluationForm {
  _id!: Types.ObjectId;
  @Prop({ type: [EvaluationItemSchema], default: [] }) items!: EvaluationItem[];
  createdAt!: Date;
  updatedAt!: Date;
}
export const EvaluationFormSchema = SchemaFactory.createForClass(EvaluationForm);

/** That a participant submitted (for certificate rules); never what they wrote. */
@Schema({ collection: 'evaluation_submissions', timestamps: false, versionKey: false })
export class EvaluationSubmission {
  _id!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) courseId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) userId!: Types.ObjectId;
  @Prop({ required: true }) submittedAt!: Date;
}
export const EvaluationSubmissionSchema = SchemaFactory.createForClass(EvaluationSubmission);
EvaluationSubmissionSchema.index({ courseId: 1, userId: 1 }, { unique: true });

@Schema({ _id: false })
export class EvaluationRating {
  @Prop({ required: true }) itemId!: string;
  @Prop({ required: true, min: 1, max: 5 }) value!: number;
}
export const EvaluationRatingSchema = SchemaFactory.createForClass(EvaluationRating);

/** What was answered, with no link to who answered. */
@Schema({ collection: 'evaluation_responses', timestamps: false, versionKey: false })
export class EvaluationResponse {
  /** Random UUID, not an ObjectId: no creation time to correlate with a submission. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: Types.ObjectId, required: true }) courseId!: Types.ObjectId;
  @Prop({ type: [EvaluationRatingSchema], default: [] }) ratings!: EvaluationRating[];
  @Prop({ default: '', maxlength: 2000 }) comment!: string;
}
export const EvaluationResponseSchema = SchemaFactory.createForClass(EvaluationResponse);
EvaluationResponseSchema.index({ courseId: 1 });

/** The submission record of (course, participant). */
export function evaluationSubmissionId(
  courseId: Types.ObjectId | string,
  userId: Types.ObjectId | string,
): Types.ObjectId {
  return new Types.ObjectId(
    createHash('sha256')
      .update(`evaluation:${String(courseId)}:${String(userId)}`)
      .digest()
      .subarray(0, 12),
  );
}
