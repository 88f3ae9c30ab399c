import { Injectable } from '@nestjs/common';
import type { AuthUser } from '@balai/common';
import { AdmissionNotifier } from '../common/admission-notifier';
import { conflict, forbidden, notFound } from '../common/errors';
import { isDuplicateKey } from '../common/errors';
import { pageOf, Page } from '../common/pagination';
import { CreateStaffDto, RegisterDto, UpdateMeDto, UserQueryDto, UserResponseDto } from './dto/user.dto';
import { PasswordHasher } from './password-hasher';
import { toUserResponse } from './user.mapper';
import { NewUser, UserRecord, UserRepository } from './user.repository';

const EMAIL_TAKEN = {
  id: 'Email ini sudah terdaftar. Silakan masuk atau gunakan email lain.',
  en: 'This email is already registered. Sign in or use another email.',
};

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly admission: AdmissionNotifier,
  ) {}

  async registerParticipant(dto: RegisterDto): Promise<UserRecord> {
    return this.create({
      email: dto.email,
      name: dto.name,
      role: 'participant',
      passwordHash: await this.hasher.hash(dto.password),
      ikm: { ...dto.ikm },
    });
  }

  async createStaff(dto: CreateStaffDto): Promise<UserResponseDto> {
    const user = await this.create({
      email: dto.email,
      name: dto.name,
      role: dto.role,
      passwordHash: await this.hasher.hash(dto.password),
    });
    return toUserResponse(user);
  }

  private async create(user: NewUser): Promise<UserRecord> {
    try {
      return await this.users.create(user);
    } catch (error) {
      if (isDuplicateKey(error)) throw conflict('EMAIL_TAKEN', EMAIL_TAKEN);
      throw error;
    }
  }

  async me(actor: AuthUser): Promise<UserResponseDto> {
    const user = await this.users.findById(actor.id);
    if (!user) throw notFound();
    return toUserResponse(user);
  }

  async updateMe(actor: AuthUser, dto: UpdateMeDto): Promise<UserResponseDto> {
    if (dto.ikm && actor.role !== 'participant') throw forbidden();
    const set: UpdateMeDto = {};
    if (dto.name !== undefined) set.name = dto.name;
    if (dto.locale !== undefined) set.locale = dto.locale;
    if (dto.ikm !== undefined) set.ikm = { ...dto.ikm };
    const user = await this.users.update(actor.id, set);
    if (!user) throw notFound();
    return toUserResponse(user);
  }

  /** Admins see everyone; anyone else only themselves (a participant never reads another's profile). */
  async getById(actor: AuthUser, id: string): Promise<UserResponseDto> {
    if (actor.role !== 'admin' && actor.id !== id) throw forbidden();
    const user = await this.users.findById(id);
    if (!user) throw notFound();
    return toUserResponse(user);
  }

  async list(query: UserQueryDto): Promise<Page<UserResponseDto>> {
    const { page, limit, skip } = pageOf(query);
    const { items, total } = await this.users.page(query, skip, limit);
    return { items: items.map(toUserResponse), total, page, limit };
  }

  async setActive(id: string, active: boolean): Promise<UserResponseDto> {
    const user = await this.users.update(id, { active });
    if (!user) throw notFound();
    await this.admission.accountChanged(id);
    return toUserResponse(user);
  }
}
