import type { Role } from '@balai/domain';

/**
 * Claims of the API's short-lived access token (HS256, signed with JWT_SECRET).
 * The API issues it; the live service verifies the same token on socket connect.
 */
export interface AccessTokenPayload {
  /** User id. */
  sub: string;
  role: Role;
  name: string;
  /** Token type guard: refresh tokens are never accepted as access tokens. */
  typ: 'access';
}

/** What a guard attaches to `request.user`. */
export interface AuthUser {
  id: string;
  role: Role;
  name: string;
}

export function toAuthUser(payload: AccessTokenPayload): AuthUser {
  return { id: payload.sub, role: payload.role, name: payload.name };
}

export function isAccessTokenPayload(value: unknown): value is AccessTokenPayload {
  const v = value as Partial<AccessTokenPayload> | null;
  return (
    !!v &&
    typeof v.sub === 'string' &&
    typeof v.name === 'string' &&
    v.typ === 'access' &&
    (v.role === 'admin' || v.role === 'trainer' || v.role === 'participant')
  );
}
