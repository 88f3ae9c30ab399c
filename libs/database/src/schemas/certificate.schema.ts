import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

export const CERTIFICATE_STATUSES = ['valid', 'revoked'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/** An issued certificate. The unique (courseId, userId) index forbids a second one. */
@Schema({ collection: 'certificates', timestamps: true })
export class Certificate {
  _id!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'Course', required: true }) courseId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'User', required: true }) userId!: Types.ObjectId;
  /** Human number, e.g. "0007/PKM-2026-01/DISPERIN/2026". */
  @Prop({ required: true }) number!: string;
  /** Public verification code: 128+ bits of randomness, base64url. */
  @Prop({ required: true }) verificationCode!: string;
  @Prop({ required: true }) issuedAt!: Date;
  @Prop({ required: true }) pdfSha256!: string;
  @Prop({ type: Types.ObjectId, required: true }) pdfFileId!: Types.ObjectId;
  @Prop({ type: String, required: true, enum: CERTIFICATE_STATUSES, default: 'valid' }) status!: CertificateStatus;
  @Prop() revokedAt?: Date;
  @Prop() revokedReason?: string;
  /** Snapshot of what was printed, so verification shows what the holder holds. */
  @Prop({ required: true }) participantName!: string;
  @Prop() businessName?: string;
  @Prop({ required: true }) courseTitle!: string;
  /** When the participant was emailed about it (set once; makes the notice idempotent). */
  @Prop() notifiedAt?: Date;
  createdAt!: Date;
  updatedAt!: Date;
}
export type CertificateDocument = HydratedDocument<Certificate>;
export const CertificateSchema = SchemaFactory.createForClass(Certificate);
CertificateSchema.index({ courseId: 1, userId: 1 }, { unique: true });
CertificateSchema.index({ verificationCode: 1 }, { unique: true });
CertificateSchema.index({ number: 1 }, { unique: true });

/** Per course-and-year counter for certificate numbers; `$inc` makes them never reused. */
@Schema({ collection: 'certificate_counters' })
export class CertificateCounter {
  /** `${courseId}:${year}` */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, default: 0 }) seq!: number;
}
export const CertificateCounterSchema = SchemaFactory.createForClass(CertificateCounter);
