import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { Types } from 'mongoose';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { AccessTokenPayload, AppException } from '@balai/common';
import type { ApiEnv } from '@balai/config';
import { NotificationProducer } from '@balai/queue';
import { PasswordHasher } from '../users/password-hasher';
import { toUserResponse } from '../users/user.mapper';
import { UserRecord, UserRepository } from '../users/user.repository';
import { UsersService } from '../users/users.service';
import { RegisterDto } from '../users/dto/user.dto';
import { LoginDto, PasswordResetConfirmDto, RegisterResponseDto, TokenPairDto } from './dto/auth.dto';
import { LoginRateLimiter } from './login-rate-limiter';
import { PasswordResetTokenRepository, RefreshTokenRepository } from './refresh-token.repository';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const INVALID_LOGIN = {
  id: 'Email atau kata sandi salah.',
  en: 'Wrong email or password.',
};
const INVALID_REFRESH = {
  id: 'Sesi Anda telah berakhir. Silakan masuk kembali.',
  en: 'Your session has ended. Please sign in again.',
};

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  /** Verified for unknown e-mails so response time does not reveal which accounts exist. */
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly users: UserRepository,
    private readonly usersService: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly config: ConfigService<ApiEnv, true>,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly resetTokens: PasswordResetTokenRepository,
    private readonly limiter: LoginRateLimiter,
    private readonly notifications: NotificationProducer,
  ) {}

  async register(dto: RegisterDto, ip: string): Promise<RegisterResponseDto> {
    await this.limiter.hitIp('register', ip);
    const user = await this.usersService.registerParticipant(dto);
    const pair = await this.issue(user, randomUUID());
    return { ...pair, user: toUserResponse(user) };
  }

  async login(dto: LoginDto, ip: string): Promise<TokenPairDto> {
    await this.limiter.hit('login', dto.email, ip);
    const user = await this.users.findByEmail(dto.email);
    this.dummyHash ??= this.hasher.hash(randomBytes(16).toString('hex'));
    const ok = await this.hasher.verify(user?.passwordHash ?? (await this.dummyHash), dto.password);
    if (!user || !ok || !user.active) {
      throw new AppException(HttpStatus.UNAUTHORIZED, 'INVALID_CREDENTIALS', INVALID_LOGIN);
    }
    return this.issue(user, randomUUID());
  }

  /**
   * Rotation: the presented token is marked used by one conditional update and
   * a successor in the same family is issued. A token that is valid in form but
   * already used is a replay (stolen token or a race by a thief): the family is
   * revoked, logging out both the thief and the victim.
   */
  async refresh(presented: string): Promise<TokenPairDto> {
    const parsed = this.parse(presented);
    if (!parsed) throw this.invalidRefresh();
    const stored = await this.refreshTokens.findById(parsed.id);
    if (!stored || !this.secretMatches(stored.secretHash, parsed.secret)) throw this.invalidRefresh();
    const now = new Date();
    const claimed = await this.refreshTokens.markUsed(stored._id, now);
    if (!claimed) {
      if (stored.usedAt || (!stored.revokedAt && stored.expiresAt > now)) {
        this.logger.warn(
          { familyId: stored.familyId, userId: String(stored.userId) },
          'refresh token reuse; revoking family',
        );
        await this.refreshTokens.revokeFamily(stored.familyId, 'reuse-detected');
      }
      throw this.invalidRefresh();
    }
    const user = await this.users.findById(String(stored.userId));
    if (!user || !user.active) throw this.invalidRefresh();
    return this.issue(user, stored.familyId);
  }

  /** Ends the session the refresh token belongs to (its whole family). Idempotent. */
  async logout(presented: string): Promise<void> {
    const parsed = this.parse(presented);
    if (!parsed) return;
    const stored = await this.refreshTokens.findById(parsed.id);
    if (stored && this.secretMatches(stored.secretHash, parsed.secret)) {
      await this.refreshTokens.revokeFamily(stored.familyId, 'logout');
    }
  }

  /** Always answers the same way, so it cannot be used to discover accounts. */
  async requestPasswordReset(email: string, ip: string): Promise<void> {
    await this.limiter.hit('reset', email, ip);
    const user = await this.users.findByEmail(email);
    if (!user || !user.active) return;
    const token = randomBytes(32).toString('base64url');
    const ttl = this.config.get('PASSWORD_RESET_TTL_MINUTES', { infer: true });
    await this.resetTokens.create(user._id, sha256(token), new Date(Date.now() + ttl * 60_000));
    const base = this.config.get('PUBLIC_BASE_URL', { infer: true }).replace(/\/$/, '');
    await this.notifications.passwordReset({
      userId: String(user._id),
      resetUrl: `${base}/reset-password?token=${token}`,
    });
  }

  async confirmPasswordReset(dto: PasswordResetConfirmDto): Promise<void> {
    const record = await this.resetTokens.consume(sha256(dto.token), new Date());
    if (!record) {
      throw new AppException(HttpStatus.BAD_REQUEST, 'INVALID_RESET_TOKEN', {
        id: 'Tautan atur ulang kata sandi tidak valid atau sudah kedaluwarsa.',
        en: 'The password reset link is invalid or has expired.',
      });
    }
    await this.users.update(String(record.userId), { passwordHash: await this.hasher.hash(dto.newPassword) });
    // A reset means the old password may be known to someone else: end every session.
    await this.refreshTokens.revokeUser(record.userId, 'password-reset');
  }

  private async issue(user: UserRecord, familyId: string): Promise<TokenPairDto> {
    const payload: AccessTokenPayload = { sub: String(user._id), role: user.role, name: user.name, typ: 'access' };
    const accessToken = await this.jwt.signAsync(payload);
    const id = new Types.ObjectId();
    const secret = randomBytes(32).toString('base64url');
    const ttl = this.config.get('JWT_REFRESH_TTL_SECONDS', { infer: true });
    await this.refreshTokens.create({
      _id: id,
      userId: user._id,
      familyId,
      secretHash: sha256(secret),
      expiresAt: new Date(Date.now() + ttl * 1000),
    });
    return {
      accessToken,
      refreshToken: `${id.toHexString()}.${secret}`,
      expiresIn: this.config.get('JWT_ACCESS_TTL_SECONDS', { infer: true }),
    };
  }

  private parse(token: string): { id: string; secret: string } | null {
    const [id, secret, extra] = token.split('.');
    if (extra !== undefined || !id || !secret || !/^[0-9a-f]{24}$/.test(id)) return null;
    return { id, secret };
  }

  private secretMatches(storedHash: string, secret: string): boolean {
    const a = Buffer.from(storedHash, 'hex');
    const b = Buffer.from(sha256(secret), 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private invalidRefresh(): AppException {
    return new AppException(HttpStatus.UNAUTHORIZED, 'INVALID_REFRESH_TOKEN', INVALID_REFRESH);
  }
}
