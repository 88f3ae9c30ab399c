import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import archiverModule, { Archiver, ArchiverOptions } from 'archiver';
import type { Writable } from 'node:stream';
import { AppException, AuthUser } from '@balai/common';
import type { ApiEnv } from '@balai/config';
import { CourseEligibility, EligibilityRepository, ParticipantEligibility } from '@balai/database';
import { Types } from 'mongoose';
import { toJakarta, toJakartaText } from '../common/time';
import { UserRepository } from '../users/user.repository';
import { CertificateProducer } from '@balai/queue';
import { CertificateBatch } from './certificate-batch.service';
import { toCertificateDto, toVerificationDto } from './certificate.mapper';
import { CertificatePdfReader } from './certificate-pdf.store';
import { CertificateRepository } from './certificate.repository';
import type {
  CertificateEligibilityDto,
  CertificatePageDto,
  CertificateResponseDto,
  IssueProgressDto,
  IssueResultDto,
  VerificationResponseDto,
} from './dto/certificate.dto';

const notFound = () =>
  new AppException(HttpStatus.NOT_FOUND, 'NOT_FOUND', { id: 'Data tidak ditemukan.', en: 'Not found.' });
const CODE = /^[A-Za-z0-9_-]{16,64}$/;
/** archiver 7 exports a factory function; the installed @types describe v8's classes. */
const createArchive = archiverModule as unknown as (format: 'zip', options: ArchiverOptions) => Archiver;

@Injectable()
export class CertificatesService {
  private readonly logger = new Logger(CertificatesService.name);

  constructor(
    private readonly config: ConfigService<ApiEnv, true>,
    private readonly repository: CertificateRepository,
    private readonly eligibility: EligibilityRepository,
    private readonly producer: CertificateProducer,
    private readonly batch: CertificateBatch,
    private readonly pdfs: CertificatePdfReader,
    private readonly users: UserRepository,
  ) {}

  /** Enqueue one job per eligible, not yet certified participant of a finished course. */
  async issueForCourse(courseId: string, admin: AuthUser): Promise<IssueResultDto> {
    const verdict = await this.eligibility.forCourse(courseId);
    if (!verdict) throw notFound();
    if (!verdict.certificatesEnabled) {
      throw new AppException(HttpStatus.CONFLICT, 'CERTIFICATES_DISABLED', {
        id: 'Sertifikat tidak diaktifkan untuk kegiatan ini.',
        en: 'Certificates are disabled for this course.',
      });
    }
    if (!verdict.allSessionsEnded) throw notFinished(verdict);
    const certified = await this.repository.certifiedUserIds(courseId);
    const toIssue = verdict.participants.filter((p) => p.eligible && !certified.has(p.userId)).map((p) => p.userId);
    await this.batch.clearFinished(courseId, toIssue);
    await this.producer.enqueue(courseId, toIssue, admin.id);
    this.logger.log({ courseId, enqueued: toIssue.length, by: admin.id }, 'certificate batch enqueued');
    const progress = await this.progress(courseId);
    const notEligible = verdict.participants.filter((p) => !p.eligible);
    const named = await this.named(notEligible);
    return {
      ...progress,
      enqueued: toIssue.length,
      minAttendancePercent: verdict.minAttendancePercent,
      notEligible: named.map((p) => ({
        ...p,
        scheduledMinutes: verdict.scheduledMinutes,
        reason: p.reason ?? 'NOT_ELIGIBLE',
      })),
    };
  }

  /**
   * What the issuing panel shows before (and after) issuing: every enrolled
   * participant with their attendance, verdict and reason, whether they hold a
   * certificate, and from when certificates can be issued.
   */
  async eligibilityOf(courseId: string): Promise<CertificateEligibilityDto> {
    const verdict = await this.eligibility.forCourse(courseId);
    if (!verdict) throw notFound();
    const [certified, named] = await Promise.all([
      this.repository.certifiedUserIds(courseId),
      this.named(verdict.participants),
    ]);
    const participants = named
      .map((p) => ({ ...p, certified: certified.has(p.userId) }))
      .sort((a, b) => a.name.localeCompare(b.name, 'id') || a.userId.localeCompare(b.userId));
    return {
      courseId,
      certificatesEnabled: verdict.certificatesEnabled,
      minAttendancePercent: verdict.minAttendancePercent,
      scheduledMinutes: verdict.scheduledMinutes,
      sessionCount: verdict.sessionCount,
      allSessionsEnded: verdict.allSessionsEnded,
      issuableFrom: verdict.allSessionsEnded ? null : (verdict.lastSessionEndsAt?.toISOString() ?? null),
      issuableFromLocal: verdict.allSessionsEnded ? null : toJakarta(verdict.lastSessionEndsAt),
      eligibleCount: participants.filter((p) => p.eligible).length,
      participants,
    };
  }

  /** The verdicts with each participant's name and business. */
  private async named(
    participants: ParticipantEligibility[],
  ): Promise<Array<ParticipantEligibility & { name: string; businessName?: string }>> {
    const users = participants.length
      ? await this.users.findManyByIds(participants.map((p) => new Types.ObjectId(p.userId)))
      : [];
    const byId = new Map(users.map((u) => [String(u._id), u]));
    return participants.map((p) => ({
      ...p,
      name: byId.get(p.userId)?.name ?? '',
      businessName: byId.get(p.userId)?.ikm?.businessName,
    }));
  }

  async progress(courseId: string): Promise<IssueProgressDto> {
    if (!(await this.repository.course(courseId))) throw notFound();
    const [userIds, certified] = await Promise.all([
      this.repository.batchUserIds(courseId),
      this.repository.certifiedUserIds(courseId),
    ]);
    return this.batch.progress(courseId, userIds, certified);
  }

  async retryFailed(courseId: string): Promise<number> {
    if (!(await this.repository.course(courseId))) throw notFound();
    return this.batch.retryFailed(courseId, await this.repository.batchUserIds(courseId));
  }

  async revoke(id: string, reason: string): Promise<CertificateResponseDto> {
    const revoked = await this.repository.revoke(id, reason, new Date());
    if (revoked) return this.dto(revoked);
    const existing = await this.repository.findById(id);
    if (!existing) throw notFound();
    throw new AppException(HttpStatus.CONFLICT, 'ALREADY_REVOKED', {
      id: 'Sertifikat sudah dicabut.',
      en: 'The certificate is already revoked.',
    });
  }

  async listForCourse(courseId: string): Promise<CertificatePageDto> {
    const items = (await this.repository.listForCourse(courseId)).map((c) => this.dto(c));
    return { items, total: items.length };
  }

  async listMine(user: AuthUser): Promise<CertificatePageDto> {
    const items = (await this.repository.listForUser(user.id)).map((c) => this.dto(c));
    return { items, total: items.length };
  }

  /** The PDF, for its holder or an admin; others get 404 (no hint that it exists). */
  async openPdf(id: string, user: AuthUser) {
    const certificate = await this.repository.findById(id);
    if (!certificate || (user.role !== 'admin' && certificate.userId.toString() !== user.id)) throw notFound();
    return {
      stream: this.pdfs.open(certificate.pdfFileId),
      filename: `sertifikat-${safeName(certificate.number)}.pdf`,
    };
  }

  async verify(code: string): Promise<VerificationResponseDto> {
    if (!CODE.test(code)) throw notFound();
    const certificate = await this.repository.findByCode(code);
    if (!certificate) throw notFound();
    const course = await this.repository.course(certificate.courseId.toString());
    return toVerificationDto(certificate, course?.lessonHours);
  }

  /** Every PDF of the course in one ZIP, streamed (PDFs are stored, not recompressed). */
  async writeZip(courseId: string, out: Writable): Promise<void> {
    const certificates = await this.repository.listForCourse(courseId);
    const archive = createArchive('zip', { store: true });
    const finished = new Promise<void>((resolve, reject) => {
      archive.once('error', reject);
      out.once('close', resolve);
      out.once('finish', resolve);
    });
    archive.pipe(out);
    for (const c of certificates) {
      const suffix = c.status === 'revoked' ? '-DICABUT' : '';
      archive.append(this.pdfs.open(c.pdfFileId), {
        name: `${safeName(c.number)}-${safeName(c.participantName)}${suffix}.pdf`,
      });
    }
    await archive.finalize();
    await finished;
  }

  async courseExists(courseId: string): Promise<boolean> {
    return !!(await this.repository.course(courseId));
  }

  private dto(c: Parameters<typeof toCertificateDto>[0]): CertificateResponseDto {
    return toCertificateDto(c, this.config.get('PUBLIC_BASE_URL', { infer: true }));
  }
}

/** 409 naming, in WIB, when the last session still to be held ends (the host may also end it earlier). */
function notFinished(verdict: CourseEligibility): AppException {
  const at = verdict.lastSessionEndsAt;
  if (!at) {
    return new AppException(HttpStatus.CONFLICT, 'COURSE_NOT_FINISHED', {
      id: 'Sertifikat baru dapat diterbitkan setelah kegiatan memiliki sesi yang sudah selesai.',
      en: 'Certificates can be issued once the course has sessions and they are over.',
    });
  }
  return new AppException(
    HttpStatus.CONFLICT,
    'COURSE_NOT_FINISHED',
    {
      id: `Sertifikat dapat diterbitkan setelah sesi terakhir selesai: ${toJakartaText(at)}, atau segera setelah pelatih mengakhirinya.`,
      en: `Certificates can be issued once the last session is over: ${toJakartaText(at, 'en')}, or as soon as the trainer ends it.`,
    },
    { availableAt: [at.toISOString()] },
  );
}

function safeName(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '_')
    .replace(/_+/g, '_')
    .slice(0, 80);
}
