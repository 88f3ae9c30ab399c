import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

/**
 * One presence interval of a user in a session's live room, as reported by the
 * live service. `eventId` (from the live service) makes each report idempotent:
 * a retried join/leave never creates a second interval.
 */
@Schema({ collection: 'attendance_intervals', timestamps: true })
export class AttendanceInterval {
  _id!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'CourseSession', required: true }) sessionId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'Course', required: true }) courseId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'User', required: true }) userId!: Types.ObjectId;
  /** Id of the join event that opened this interval. */
  @Prop({ required: true }) joinEventId!: string;
  @Prop({ required: true }) joinedAt!: Date;
  @Prop() leftAt?: Date;
  @Prop() leaveEventId?: string;
  @Prop() leaveReason?: string;
  createdAt!: Date;
  updatedAt!: Date;
}
export type AttendanceIntervalDocument = HydratedDocument<AttendanceInterval>;
export const AttendanceIntervalSchema = SchemaFactory.createForClass(AttendanceInterval);
AttendanceIntervalSchema.index({ joinEventId: 1 }, { unique: true });
AttendanceIntervalSchema.index({ sessionId: 1, userId: 1, joinedAt: 1 });
AttendanceIntervalSchema.index({ courseId: 1, userId: 1 });
