import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AuthUser } from '@balai/common';
import type { Role } from '@balai/domain';

export const IS_PUBLIC = 'balai:isPublic';
export const ROLES = 'balai:roles';

/** The route needs no login (catalogue, verification, health, auth itself). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route; ownership is then checked in the service. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/** The signed-in user, as verified by AuthGuard. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
