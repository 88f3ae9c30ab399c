import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import type { ApiEnv } from '@balai/config';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginRateLimiter } from './login-rate-limiter';
import { PasswordResetTokenRepository, RefreshTokenRepository } from './refresh-token.repository';

@Global()
@Module({
  imports: [
    UsersModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<ApiEnv, true>) => ({
        // A KeyObject, not the string: jsonwebtoken otherwise tries createPublicKey on every verify and
        // throws (a stack trace per request; ~10 % of the API's CPU on the answer-save path in bench:tests).
        secret: createSecretKey(Buffer.from(config.get('JWT_SECRET', { infer: true }))) as unknown as string,
        signOptions: { algorithm: 'HS256', expiresIn: config.get('JWT_ACCESS_TTL_SECONDS', { infer: true }) },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    AuthService,
    RefreshTokenRepository,
    PasswordResetTokenRepository,
    LoginRateLimiter,
  ],
  exports: [JwtModule],
})
export class AuthModule {}
