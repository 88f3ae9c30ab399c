import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import { COURSE_STATUSES, COURSE_TYPES, CourseStatus, CourseType, DEFAULT_MIN_ATTENDANCE_PERCENT } from '@balai/domain';

@Schema({ _id: false })
export class CertificateRules {
  @Prop({ default: true }) enabled!: boolean;
  /** Minimum attended share of scheduled session minutes, in percent. */
  @Prop({ default: DEFAULT_MIN_ATTENDANCE_PERCENT, min: 0, max: 100 }) minAttendancePercent!: number;
  /** Issue automatically once the last session has ended. */
  @Prop({ default: false }) autoIssue!: boolean;
}
export const CertificateRulesSchema = SchemaFactory.createForClass(CertificateRules);

@Schema({ collection: 'courses', timestamps: true })
export class Course {
  _id!: Types.ObjectId;
  /** Short code used in certificate numbers, e.g. "PKM-2026-01". */
  @Prop({ required: true, uppercase: true, trim: true, maxlength: 32 }) code!: string;
  @Prop({ required: true, trim: true, maxlength: 200 }) title!: string;
  @Prop({ default: '', maxlength: 10_000 }) description!: string;
  @Prop({ required: true, trim: true, maxlength: 80 }) category!: string;
  @Prop({ type: String, required: true, enum: COURSE_TYPES }) type!: CourseType;
  @Prop({ type: String, required: true, enum: COURSE_STATUSES, default: 'draft' }) status!: CourseStatus;
  @Prop({ type: [Types.ObjectId], ref: 'User', default: [] }) trainerIds!: Types.ObjectId[];
  @Prop({ required: true, min: 1, max: 10_000 }) capacity!: number;
  /**
   * Seats taken (enrolled, not waitlisted). Changed only by conditional
   * single-document updates (`$inc` guarded by `seatsTaken < capacity`), which
   * is what keeps capacity exact under concurrent enrolment.
   */
  @Prop({ default: 0, min: 0 }) seatsTaken!: number;
  /** Monotonic counter giving each enrolment request its place in line. */
  @Prop({ default: 0 }) enrollmentSeq!: number;
  @Prop({ required: true }) registrationOpensAt!: Date;
  @Prop({ required: true }) registrationClosesAt!: Date;
  /** Jam pelajaran (lesson hours) printed on the certificate. */
  @Prop({ required: true, min: 0, max: 1000 }) lessonHours!: number;
  @Prop({ type: CertificateRulesSchema, default: () => ({}) }) certificate!: CertificateRules;
  @Prop() location?: string;
  /** Every session of the course is recorded from the moment its room opens with a host (issue 13). */
  @Prop({ default: false }) autoRecord!: boolean;
  /** Start of the first and end of the last non-cancelled session (kept by the API; for date filters). */
  @Prop() startsAt?: Date;
  @Prop() endsAt?: Date;
  createdAt!: Date;
  updatedAt!: Date;
}
export type CourseDocument = HydratedDocument<Course>;
export const CourseSchema = SchemaFactory.createForClass(Course);
CourseSchema.index({ code: 1 }, { unique: true });
CourseSchema.index({ status: 1, registrationOpensAt: 1 });
CourseSchema.index({ trainerIds: 1 });
CourseSchema.index({ status: 1, createdAt: -1, _id: -1 });
