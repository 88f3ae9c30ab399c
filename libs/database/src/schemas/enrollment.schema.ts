import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import { ENROLLMENT_STATUSES, EnrollmentStatus } from '@balai/domain';

@Schema({ collection: 'enrollments', timestamps: true })
export class Enrollment {
  _id!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'Course', required: true }) courseId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'User', required: true }) userId!: Types.ObjectId;
  @Prop({ type: String, required: true, enum: ENROLLMENT_STATUSES }) status!: EnrollmentStatus;
  /** Place in line as the server saw the request; orders the waitlist. */
  @Prop({ required: true }) seq!: number;
  @Prop() promotedAt?: Date;
  @Prop() cancelledAt?: Date;
  createdAt!: Date;
  updatedAt!: Date;
}
export type EnrollmentDocument = HydratedDocument<Enrollment>;
export const EnrollmentSchema = SchemaFactory.createForClass(Enrollment);
EnrollmentSchema.index({ courseId: 1, userId: 1 }, { unique: true });
EnrollmentSchema.index({ courseId: 1, status: 1, seq: 1 });
EnrollmentSchema.index({ userId: 1, status: 1 });
