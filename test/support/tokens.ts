import { JwtService } from '@nestjs/jwt';
import { apiEnvSchema, parseEnv } from '@balai/config';
import type { Role } from '@balai/domain';

/** An access token as the API would issue it, signed with the test environment's secret. */
export function accessToken(sub: string, role: Role, name = 'Test'): string {
  const secret = parseEnv(apiEnvSchema, process.env).JWT_SECRET;
  return new JwtService({ secret }).sign({ sub, role, name, typ: 'access' }, { algorithm: 'HS256', expiresIn: 3600 });
}
