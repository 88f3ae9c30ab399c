import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import { KECAMATAN, ROLES, Role, Sector, SECTOR_CODES } from '@balai/domain';

@Schema({ _id: false })
export class IkmProfile {
  @Prop({ required: true, trim: true, maxlength: 200 }) businessName!: string;
  @Prop({ required: true, trim: true, maxlength: 120 }) ownerName!: string;
  @Prop({ required: true, match: /^\d{13}$/ }) nib!: string;
  @Prop({ type: String, required: true, enum: SECTOR_CODES }) sector!: Sector;
  @Prop({ type: String, required: true, enum: KECAMATAN as unknown as string[] }) kecamatan!: string;
  @Prop({ required: true, trim: true, maxlength: 500 }) address!: string;
  /** E.164, always `+62...`. */
  @Prop({ required: true, match: /^\+62\d{9,12}$/ }) whatsapp!: string;
}
export const IkmProfileSchema = SchemaFactory.createForClass(IkmProfile);

@Schema({ collection: 'users', timestamps: true })
export class User {
  _id!: Types.ObjectId;
  /** Lower-cased; unique across all roles. */
  @Prop({ required: true, lowercase: true, trim: true, maxlength: 254 }) email!: string;
  @Prop({ required: true, trim: true, maxlength: 120 }) name!: string;
  @Prop({ type: String, required: true, enum: ROLES }) role!: Role;
  /** argon2id hash; never returned by any API. */
  @Prop({ required: true }) passwordHash!: string;
  @Prop({ type: IkmProfileSchema, required: false }) ikm?: IkmProfile;
  @Prop({ default: true }) active!: boolean;
  @Prop({ type: String, enum: ['id', 'en'], default: 'id' }) locale!: 'id' | 'en';
  createdAt!: Date;
  updatedAt!: Date;
}
export type UserDocument = HydratedDocument<User>;
export const UserSchema = SchemaFactory.createForClass(User);
UserSchema.index({ email: 1 }, { unique: true });
UserSchema.index({ role: 1, name: 1 });
UserSchema.index({ 'ikm.sector': 1 });
UserSchema.index({ 'ikm.kecamatan': 1 });
