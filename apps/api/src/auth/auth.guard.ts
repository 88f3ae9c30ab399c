import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { AppException, AuthUser, isAccessTokenPayload, STATUS_DEFAULTS, toAuthUser } from '@balai/common';
import type { Role } from '@balai/domain';
import { IS_PUBLIC, ROLES } from './auth.decorators';

/**
 * Global guard: every route needs a valid access token unless marked @Public(),
 * and a role listed in @Roles() when it has one. A route with neither @Public()
 * nor @Roles() is open to any signed-in user and must check ownership itself.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
    const user = await this.userFrom(request);
    if (user) request.user = user;
    if (isPublic) return true;
    if (!user) {
      const d = STATUS_DEFAULTS[HttpStatus.UNAUTHORIZED]!;
      throw new AppException(HttpStatus.UNAUTHORIZED, d.code, d.text);
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(user.role)) {
      const d = STATUS_DEFAULTS[HttpStatus.FORBIDDEN]!;
      throw new AppException(HttpStatus.FORBIDDEN, d.code, d.text);
    }
    return true;
  }

  private async userFrom(request: Request): Promise<AuthUser | null> {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) return null;
    try {
      const payload: unknown = await this.jwt.verifyAsync(header.slice(7), { algorithms: ['HS256'] });
      return isAccessTokenPayload(payload) ? toAuthUser(payload) : null;
    } catch {
      return null;
    }
  }
}
