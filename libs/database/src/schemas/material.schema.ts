import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

export const MATERIAL_KINDS = ['pdf', 'pptx', 'docx', 'png', 'jpeg'] as const;
export type MaterialKind = (typeof MATERIAL_KINDS)[number];

/** Metadata of a course file; the bytes live in GridFS bucket `materials` under `fileId`. */
@Schema({ collection: 'materials', timestamps: true })
export class Material {
  _id!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'Course', required: true }) courseId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) fileId!: Types.ObjectId;
  @Prop({ required: true, maxlength: 255 }) filename!: string;
  @Prop({ type: String, required: true, enum: MATERIAL_KINDS }) kind!: MaterialKind;
  @Prop({ required: true }) contentType!: string;
  @Prop({ required: true }) size!: number;
  @Prop({ required: true }) sha256!: string;
  @Prop({ type: Types.ObjectId, ref: 'User', required: true }) uploadedBy!: Types.ObjectId;
  createdAt!: Date;
  updatedAt!: Date;
}
export type MaterialDocument = HydratedDocument<Material>;
export const MaterialSchema = SchemaFactory.createForClass(Material);
MaterialSchema.index({ courseId: 1, createdAt: 1 });
