import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

/**
 * recording: the live node is writing the raw streams; recorded: stopped, the
 * compose job is queued; composing: the worker is making the MP4s; ready:
 * both variants stored; failed: composing failed after its retries (see `error`).
 */
export const RECORDING_STATUSES = ['recording', 'recorded', 'composing', 'ready', 'failed'] as const;
export type RecordingState = (typeof RECORDING_STATUSES)[number];
export const RECORDING_VARIANTS = ['720p', '360p'] as const;
export type RecordingVariantName = (typeof RECORDING_VARIANTS)[number];

export class RecordingGap {
  /** Which stream stopped ('audio:<peer>' / 'stage' / 'all'), and why (recorder died, worker died, live node died). */
  @Prop({ required: true }) stream!: string;
  @Prop({ required: true }) reason!: string;
  @Prop({ required: true }) from!: Date;
  @Prop({ required: true }) to!: Date;
}

export class RecordingVariant {
  @Prop({ type: String, required: true, enum: RECORDING_VARIANTS }) name!: RecordingVariantName;
  /** Where the file is: GridFS (bucket `recordings`) or a directory (RECORDING_STORE_DIR). */
  @Prop({ type: String, enum: ['gridfs', 'directory'], default: 'gridfs' }) store!: 'gridfs' | 'directory';
  /** GridFS file id, or a file name inside RECORDING_STORE_DIR. */
  @Prop({ required: true }) storageKey!: string;
  @Prop({ required: true }) size!: number;
  @Prop({ required: true }) width!: number;
  @Prop({ required: true }) height!: number;
}

/**
 * One recording of a live session (a session may have several: stop and start
 * again). The raw per-stream Matroska files and their timing manifest are in
 * the spool directory under `_id` until composed.
 */
@Schema({ collection: 'recordings', timestamps: true })
export class Recording {
  _id!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'CourseSession', required: true }) sessionId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'Course', required: true }) courseId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'User', required: true }) startedBy!: Types.ObjectId;
  @Prop({ type: String, required: true, enum: RECORDING_STATUSES }) status!: RecordingState;
  @Prop({ required: true }) startedAt!: Date;
  /** Started by the course's autoRecord setting (startedBy is then the host whose arrival started it). */
  @Prop({ default: false }) auto!: boolean;
  /**
   * Written every few seconds by the live node while it records; a `recording` whose heartbeat is
   * old belongs to a node that died, and the worker's sweep closes it (see recording-sweep).
   */
  @Prop() heartbeatAt?: Date;
  @Prop() stoppedAt?: Date;
  /** Seconds of the composed video. */
  @Prop() durationSeconds?: number;
  @Prop({ type: [RecordingGap], default: [] }) gaps!: RecordingGap[];
  @Prop({ type: [RecordingVariant], default: [] }) variants!: RecordingVariant[];
  /** Composing progress, 0-100. */
  @Prop({ default: 0 }) progress!: number;
  @Prop({ default: 0 }) attempts!: number;
  /** Why the last composing attempt failed (cleared when a retry succeeds). */
  @Prop() error?: string;
  /** Deleted by the retention sweep or an admin after this instant. */
  @Prop() expiresAt?: Date;
  createdAt!: Date;
  updatedAt!: Date;
}
export type RecordingDocument = HydratedDocument<Recording>;
export const RecordingSchema = SchemaFactory.createForClass(Recording);
RecordingSchema.index({ sessionId: 1, startedAt: 1 });
RecordingSchema.index({ courseId: 1, startedAt: 1 });
RecordingSchema.index({ status: 1 });
RecordingSchema.index({ expiresAt: 1 });
