import { Module } from '@nestjs/common';
import { AutoIssuer } from './auto-issue.service';
import { CertificateIssuer } from './certificate-issuer.service';
import { CertificatePdfStore } from './certificate-pdf.store';
import { CertificateProcessor } from './certificate.processor';
import { CertificateRenderer } from './certificate.renderer';
import { CertificateRepository } from './certificate.repository';
import { CertificateWriteBatcher } from './certificate-write.batcher';
import { CertificateNoticeBatcher } from './certificate-notice.batcher';
import { EligibilityCache } from './eligibility.cache';
import { ParticipantDirectory } from './participant.directory';

@Module({
  providers: [
    AutoIssuer,
    EligibilityCache,
    ParticipantDirectory,
    CertificateRepository,
    CertificatePdfStore,
    CertificateWriteBatcher,
    CertificateNoticeBatcher,
    CertificateRenderer,
    CertificateIssuer,
    CertificateProcessor,
  ],
})
export class CertificatesModule {}
