import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

/**
 * One refresh token. The client holds `<_id>.<secret>`; only sha256(secret) is
 * stored. Rotation marks the token used (a conditional single-document update)
 * and issues the next one in the same `familyId`; presenting a used token again
 * is theft and revokes the whole family.
 */
@Schema({ collection: 'refresh_tokens', timestamps: true })
export class RefreshToken {
  _id!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'User', required: true }) userId!: Types.ObjectId;
  @Prop({ required: true }) familyId!: string;
  @Prop({ required: true }) secretHash!: string;
  @Prop({ required: true }) expiresAt!: Date;
  @Prop() usedAt?: Date;
  @Prop() revokedAt?: Date;
  @Prop() revokedReason?: string;
  createdAt!: Date;
  updatedAt!: Date;
}
export type RefreshTokenDocument = HydratedDocument<RefreshToken>;
export const RefreshTokenSchema = SchemaFactory.createForClass(RefreshToken);
RefreshTokenSchema.index({ familyId: 1 });
RefreshTokenSchema.index({ userId: 1 });

/** A single-use password reset token (sha256 of the secret mailed to the user). */
@Schema({ collection: 'password_reset_tokens', timestamps: true })
export class PasswordResetToken {
  _id!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, ref: 'User', required: true }) userId!: Types.ObjectId;
  @Prop({ required: true }) tokenHash!: string;
  @Prop({ required: true }) expiresAt!: Date;
  @Prop() usedAt?: Date;
  createdAt!: Date;
  updatedAt!: Date;
}
export type PasswordResetTokenDocument = HydratedDocument<PasswordResetToken>;
export const PasswordResetTokenSchema = SchemaFactory.createForClass(PasswordResetToken);
PasswordResetTokenSchema.index({ tokenHash: 1 }, { unique: true });
