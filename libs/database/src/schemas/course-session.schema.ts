import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import { SESSION_STATUSES, SessionStatus } from '@balai/domain';

/** One scheduled meeting of a course (a live room). Instants are UTC. */
@Schema({ collection: 'course_sessions', timestamps: true })
export class CourseSession {
  _id!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'Course', required: true }) courseId!: Types.ObjectId;
  @Prop({ required: true, trim: true, maxlength: 200 }) title!: string;
  @Prop({ required: true }) startsAt!: Date;
  @Prop({ required: true }) endsAt!: Date;
  /** Trainers booked for this session (copied from the course unless overridden). */
  @Prop({ type: [Types.ObjectId], ref: 'User', default: [] }) trainerIds!: Types.ObjectId[];
  @Prop({ type: String, enum: SESSION_STATUSES, default: 'scheduled' }) status!: SessionStatus;
  /** When the host actually started/ended the live room. */
  @Prop() liveStartedAt?: Date;
  @Prop() liveEndedAt?: Date;
  createdAt!: Date;
  updatedAt!: Date;
}
export type CourseSessionDocument = HydratedDocument<CourseSession>;
export const CourseSessionSchema = SchemaFactory.createForClass(CourseSession);
CourseSessionSchema.index({ courseId: 1, startsAt: 1 });
CourseSessionSchema.index({ trainerIds: 1, startsAt: 1 });
