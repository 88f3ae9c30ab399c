import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, Types } from 'mongoose';
import { IkmProfile, User } from '@balai/database';
import type { Role } from '@balai/domain';

export type UserRecord = User;

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  ikm?: IkmProfile;
}

export interface UserFilter {
  role?: Role;
  sector?: string;
  kecamatan?: string;
  q?: string;
  ids?: string[];
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Users collection; returns lean plain objects only. */
@Injectable()
export class UserRepository {
  constructor(@InjectModel(User.name) private readonly model: Model<User>) {}

  async create(user: NewUser): Promise<UserRecord> {
    const created = await this.model.create(user);
    return created.toObject();
  }

  findById(id: string): Promise<UserRecord | null> {
    return this.model.findById(id).lean<UserRecord>().exec();
  }

  findByEmail(email: string): Promise<UserRecord | null> {
    return this.model.findOne({ email: email.trim().toLowerCase() }).lean<UserRecord>().exec();
  }

  findManyByIds(ids: Types.ObjectId[]): Promise<UserRecord[]> {
    return this.model
      .find({ _id: { $in: ids } })
      .lean<UserRecord[]>()
      .exec();
  }

  async countByIdsAndRole(ids: string[], role: Role): Promise<number> {
    return this.model
      .countDocuments({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) }, role, active: true })
      .exec();
  }

  private toQuery(filter: UserFilter): FilterQuery<User> {
    const query: FilterQuery<User> = {};
    if (filter.role) query.role = filter.role;
    if (filter.sector) query['ikm.sector'] = filter.sector;
    if (filter.kecamatan) query['ikm.kecamatan'] = filter.kecamatan;
    if (filter.ids) query._id = { $in: filter.ids.map((id) => new Types.ObjectId(id)) };
    if (filter.q) {
      const re = { $regex: escapeRegex(filter.q), $options: 'i' };
      query.$or = [{ name: re }, { email: re }, { 'ikm.businessName': re }];
    }
    return query;
  }

  async page(filter: UserFilter, skip: number, limit: number): Promise<{ items: UserRecord[]; total: number }> {
    const query = this.toQuery(filter);
    const [items, total] = await Promise.all([
      this.model.find(query).sort({ name: 1, _id: 1 }).skip(skip).limit(limit).lean<UserRecord[]>().exec(),
      this.model.countDocuments(query).exec(),
    ]);
    return { items, total };
  }

  async update(
    id: string,
    set: Partial<Pick<User, 'name' | 'locale' | 'ikm' | 'passwordHash' | 'active'>>,
  ): Promise<UserRecord | null> {
    return this.model
      .findByIdAndUpdate(id, { $set: set }, { new: true, runValidators: true })
      .lean<UserRecord>()
      .exec();
  }
}
