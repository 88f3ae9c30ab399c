import { Module } from '@nestjs/common';
import { apiEnvSchema, BalaiConfigModule } from '@balai/config';
import { LoggingModule, RedisModule } from '@balai/common';
import { DatabaseModule } from '@balai/database';
import { QueueModule } from '@balai/queue';
import { AuthModule } from './auth/auth.module';
import { CertificatesModule } from './certificates/certificates.module';
import { HealthModule } from './health/health.module';
import { WebModule } from './web/web.module';

@Module({
  imports: [
    BalaiConfigModule.forApp(apiEnvSchema),
    LoggingModule.forService('api'),
    DatabaseModule.forRoot(),
    QueueModule.forRoot(),
    RedisModule.forService('api'),
    AuthModule,
    CertificatesModule,
    HealthModule,
    WebModule,
  ],
})
export class AppModule {}
