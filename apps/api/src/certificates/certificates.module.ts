import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { CertificateBatch } from './certificate-batch.service';
import { CertificatePdfReader } from './certificate-pdf.store';
import { CertificateRepository } from './certificate.repository';
import { CertificatesController } from './certificates.controller';
import { CertificatesService } from './certificates.service';
import { QueueDashboard } from './queue-dashboard';
import { VerifyRateLimitGuard } from './verify-rate-limit.guard';

/** Certificates in the API: enqueue batches, watch and retry them, revoke, download, verify; the queue dashboard. */
@Module({
  imports: [UsersModule],
  controllers: [CertificatesController],
  providers: [
    CertificateRepository,
    CertificatePdfReader,
    CertificateBatch,
    CertificatesService,
    VerifyRateLimitGuard,
    QueueDashboard,
  ],
})
export class CertificatesModule {}
