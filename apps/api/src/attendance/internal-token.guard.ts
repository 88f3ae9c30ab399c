import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppException } from '@balai/common';
import type { ApiEnv } from '@balai/config';
import { INTERNAL_TOKEN_HEADER } from '@balai/domain';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Service-to-service routes (live -> api): the shared INTERNAL_API_TOKEN in `x-internal-token`. */
@Injectable()
export class InternalTokenGuard implements CanActivate {
  constructor(private readonly config: ConfigService<ApiEnv, true>) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers[INTERNAL_TOKEN_HEADER];
    const expected = this.config.get('INTERNAL_API_TOKEN', { infer: true });
    if (typeof header === 'string' && timingSafeEqual(digest(header), digest(expected))) return true;
    throw new AppException(HttpStatus.UNAUTHORIZED, 'INVALID_INTERNAL_TOKEN', {
      id: 'Token layanan internal tidak valid.',
      en: 'Invalid internal service token.',
    });
  }
}
