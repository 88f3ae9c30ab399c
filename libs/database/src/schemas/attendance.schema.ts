import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

/**
 * One presence interval of a user in a session's live room, as reported by the
 * live service. `eventId` (from the live service) makes each report idempotent:
 * a retried join/leave never creates a second interval. Intervals opened since
 * issue 15 have `_id = attendanceIntervalId(joinEventId)`, so a join and the
 * leave that names it reach the document by primary key.
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
  /**
   * Its leave arrived before its join: a zero-length record at the leave's
   * instant (counts nothing) until the join sets `joinedAt` and clears this.
   */
  @Prop() joinPending?: boolean;
  createdAt!: Date;
  updatedAt!: Date;
}
export type AttendanceIntervalDocument = HydratedDocument<AttendanceInterval>;
export const AttendanceIntervalSchema = SchemaFactory.createForClass(AttendanceInterval);
AttendanceIntervalSchema.index({ joinEventId: 1 }, { unique: true });
AttendanceIntervalSchema.index({ sessionId: 1, userId: 1, joinedAt: 1 });
AttendanceIntervalSchema.index({ courseId: 1, userId: 1 });
