import type { Certificate } from '@balai/database';
import type { CertificateResponseDto, VerificationResponseDto } from './dto/certificate.dto';

export function verificationUrl(publicBaseUrl: string, code: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/verify/${code}`;
}

export function toCertificateDto(c: Certificate, publicBaseUrl: string): CertificateResponseDto {
  return {
    id: c._id.toString(),
    courseId: c.courseId.toString(),
    userId: c.userId.toString(),
    number: c.number,
    verificationCode: c.verificationCode,
    verificationUrl: verificationUrl(publicBaseUrl, c.verificationCode),
    issuedAt: c.issuedAt.toISOString(),
    status: c.status,
    revokedAt: c.revokedAt?.toISOString(),
    revokedReason: c.revokedReason,
    participantName: c.participantName,
    businessName: c.businessName,
    courseTitle: c.courseTitle,
    pdfSha256: c.pdfSha256,
  };
}

/** What anyone holding the code may see: no ids, no email, no hash. */
export function toVerificationDto(c: Certificate, lessonHours?: number): VerificationResponseDto {
  return {
    status: c.status,
    number: c.number,
    participantName: c.participantName,
    businessName: c.businessName,
    courseTitle: c.courseTitle,
    lessonHours,
    issuedAt: c.issuedAt.toISOString(),
    revokedAt: c.revokedAt?.toISOString(),
    revokedReason: c.revokedReason,
  };
}
