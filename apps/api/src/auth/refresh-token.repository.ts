import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { PasswordResetToken, RefreshToken } from '@balai/database';

@Injectable()
export class RefreshTokenRepository {
  constructor(@InjectModel(RefreshToken.name) private readonly model: Model<RefreshToken>) {}

  async create(
    token: Omit<RefreshToken, '_id' | 'createdAt' | 'updatedAt' | 'usedAt' | 'revokedAt' | 'revokedReason'> & {
      _id: Types.ObjectId;
    },
  ): Promise<void> {
    await this.model.create(token);
  }

  findById(id: string): Promise<RefreshToken | null> {
    return this.model.findById(id).lean<RefreshToken>().exec();
  }

  /** Atomically mark a live token used; null when it was already used, revoked or expired. */
  markUsed(id: Types.ObjectId, now: Date): Promise<RefreshToken | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id, usedAt: { $exists: false }, revokedAt: { $exists: false }, expiresAt: { $gt: now } },
        { $set: { usedAt: now } },
        { new: true },
      )
      .lean<RefreshToken>()
      .exec();
  }

  async revokeFamily(familyId: string, reason: string): Promise<void> {
    await this.model
      .updateMany(
        { familyId, revokedAt: { $exists: false } },
        { $set: { revokedAt: new Date(), revokedReason: reason } },
      )
      .exec();
  }

  async revokeUser(userId: Types.ObjectId, reason: string): Promise<void> {
    await this.model
      .updateMany({ userId, revokedAt: { $exists: false } }, { $set: { revokedAt: new Date(), revokedReason: reason } })
      .exec();
  }
}

@Injectable()
export class PasswordResetTokenRepository {
  constructor(@InjectModel(PasswordResetToken.name) private readonly model: Model<PasswordResetToken>) {}

  async create(userId: Types.ObjectId, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.model.create({ userId, tokenHash, expiresAt });
  }

  /** Single use: the conditional update wins once. */
  consume(tokenHash: string, now: Date): Promise<PasswordResetToken | null> {
    return this.model
      .findOneAndUpdate(
        { tokenHash, usedAt: { $exists: false }, expiresAt: { $gt: now } },
        { $set: { usedAt: now } },
        { new: true },
      )
      .lean<PasswordResetToken>()
      .exec();
  }
}
