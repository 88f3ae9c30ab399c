/**
 * Issues one certificate for (course, participant), safely repeatable:
 * - an existing certificate ends the job: a retried job looks for it first, a first attempt learns it
 *   from the unique index when it stores its own (rendered for nothing, which the API's and the
 *   auto-issuer's filters make rare);
 * - eligibility is checked again here, whatever the producer thought;
 * - the number and verification code are reserved once and kept with the job,
 *   so a crash and retry reuse them (numbers are never reused, rarely skipped);
 * - the unique (courseId, userId) index decides between concurrent attempts,
 *   and the loser removes the PDF it uploaded;
 * - the PDF is stored before the certificate that names it, together with those of
 *   the other jobs finishing at the same moment (CertificateWriteBatcher).
 * Email is a separate notification job: a mail failure never fails issuance.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DateTime } from 'luxon';
import { Types } from 'mongoose';
import type { WorkerEnv } from '@balai/config';
import { DISPLAY_TIME_ZONE } from '@balai/domain';
import { CertificateNoticeFacts, CertificateReservation, IssueCertificateJob } from '@balai/queue';
import { CertificateNoticeBatcher } from './certificate-notice.batcher';
import { formatCertificateNumber } from './certificate-number';
import { EligibilityCache } from './eligibility.cache';
import { ParticipantDirectory } from './participant.directory';
import { CertificatePdfStore } from './certificate-pdf.store';
import { CertificateRenderer } from './certificate.renderer';
import { CertificateRepository, CourseFacts } from './certificate.repository';
import { CertificateWriteBatcher } from './certificate-write.batcher';

/** A failure no retry can fix (the job goes straight to the failed set with this reason). */
export class PermanentIssueError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'PermanentIssueError';
  }
}

/** Where the reservation of a job lives (the BullMQ job data in production). */
export interface ReservationSlot {
  current?: CertificateReservation;
  /** True when an earlier attempt of this job may have started (crash, stall, retry): look for its leftovers. */
  mayHaveLeftovers: boolean;
  save(reservation: CertificateReservation): Promise<void>;
}

export type IssueOutcome =
  | { status: 'issued'; certificateId: string; number: string }
  | { status: 'already-issued'; certificateId: string; number: string };

@Injectable()
export class CertificateIssuer {
  private readonly logger = new Logger(CertificateIssuer.name);

  constructor(
    private readonly config: ConfigService<WorkerEnv, true>,
    private readonly repository: CertificateRepository,
    private readonly eligibility: EligibilityCache,
    private readonly renderer: CertificateRenderer,
    private readonly pdfs: CertificatePdfStore,
    private readonly writes: CertificateWriteBatcher,
    private readonly notices: CertificateNoticeBatcher,
    private readonly participants: ParticipantDirectory,
  ) {}

  async issue(job: IssueCertificateJob, slot: ReservationSlot): Promise<IssueOutcome> {
    const { courseId, userId } = job;
    if (!Types.ObjectId.isValid(courseId) || !Types.ObjectId.isValid(userId)) {
      throw new PermanentIssueError(
        'INVALID_JOB',
        `courseId and userId must be object ids (got ${courseId}, ${userId})`,
      );
    }
    // Only a job that may have run before (crash, stall, retry) looks for its certificate first: on
    // FerretDB over PostgreSQL every read scans its table (see findFor), and a first attempt's insert
    // meets the unique index anyway if another job made this person's certificate meanwhile.
    const existing = slot.mayHaveLeftovers ? await this.repository.findFor(courseId, userId) : null;
    if (existing) {
      await this.notifyIssued(existing._id.toString());
      return { status: 'already-issued', certificateId: existing._id.toString(), number: existing.number };
    }

    const verdict = await this.eligibility.check(courseId, userId);
    if (!verdict) throw new PermanentIssueError('COURSE_NOT_FOUND', `course ${courseId} does not exist`);
    const participant = verdict.participant;
    if (!participant.eligible) {
      throw new PermanentIssueError(
        participant.reason ?? 'NOT_ELIGIBLE',
        `participant ${userId} is not eligible (attendance ${participant.attendancePercent}% , minimum ${verdict.minAttendancePercent}%)`,
      );
    }
    const [course, person] = await Promise.all([this.courseFacts(courseId), this.participants.facts(courseId, userId)]);
    if (!course) throw new PermanentIssueError('COURSE_NOT_FOUND', `course ${courseId} does not exist`);
    if (!person) throw new PermanentIssueError('USER_NOT_FOUND', `user ${userId} does not exist`);

    const filename = CertificatePdfStore.filename(courseId, userId);
    let reservation = slot.current ?? (await this.reserve(course, slot));
    for (let attempt = 1; ; attempt += 1) {
      const issuedAt = new Date(reservation.issuedAt);
      const pdf = await this.renderer.render({
        number: reservation.number,
        verificationUrl: `${this.config.get('PUBLIC_BASE_URL', { infer: true }).replace(/\/+$/, '')}/verify/${reservation.verificationCode}`,
        participantName: person.name,
        businessName: person.businessName,
        courseTitle: course.title,
        courseType: course.type,
        dateRange: this.dateRangeOf(course),
        lessonHours: course.lessonHours,
        placeAndDate: `${this.config.get('CERT_ISSUER_CITY', { infer: true })}, ${this.longDate(issuedAt)}`,
      });
      const pdfSha256 = createHash('sha256').update(pdf).digest('hex');
      // With the PDFs and certificates of other jobs finishing now: fewer round trips per certificate.
      const { pdfFileId, outcome: result } = await this.writes.write({
        filename,
        pdf,
        metadata: { courseId, userId, number: reservation.number },
        certificate: {
          courseId: new Types.ObjectId(courseId),
          userId: new Types.ObjectId(userId),
          number: reservation.number,
          verificationCode: reservation.verificationCode,
          issuedAt,
          pdfSha256,
          participantName: person.name,
          businessName: person.businessName,
          courseTitle: course.title,
        },
      });
      if ('created' in result) {
        const removed = slot.mayHaveLeftovers || attempt > 1 ? await this.pdfs.deleteOthers(filename, pdfFileId) : 0;
        if (removed) this.logger.warn(`removed ${removed} leftover PDF(s) of an interrupted attempt for ${filename}`);
        const created = result.created;
        await this.notifyIssued(created._id.toString(), {
          courseId,
          userId,
          name: person.name,
          email: person.email,
          ...(person.whatsapp ? { whatsapp: person.whatsapp } : {}),
          number: created.number,
          courseTitle: created.courseTitle,
          verificationCode: created.verificationCode,
        });
        return { status: 'issued', certificateId: result.created._id.toString(), number: result.created.number };
      }
      // Either way the PDF we uploaded is surplus.
      await this.pdfs.delete(pdfFileId);
      if (result.conflict === 'pair') {
        const winner = (await this.repository.findFor(courseId, userId))!;
        await this.notifyIssued(winner._id.toString());
        return { status: 'already-issued', certificateId: winner._id.toString(), number: winner.number };
      }
      // The number (or code) is taken: a counter that handed a value out twice
      // must never yield two certificates with one number. Take a fresh one.
      if (attempt >= 5) throw new Error(`certificate number ${reservation.number} collided ${attempt} times`);
      this.logger.warn(`certificate number ${reservation.number} already used; reserving another`);
      reservation = await this.reserve(course, slot);
    }
  }

  private readonly courseCache = new Map<string, { at: number; value: Promise<CourseFacts | null> }>();

  /** What is printed about the course, read once per batch (15 s), not once per certificate. */
  private courseFacts(courseId: string): Promise<CourseFacts | null> {
    const now = Date.now();
    const hit = this.courseCache.get(courseId);
    if (hit && now - hit.at < 15_000) return hit.value;
    for (const [key, entry] of this.courseCache) if (now - entry.at >= 15_000) this.courseCache.delete(key);
    const value = this.repository.courseFacts(courseId);
    this.courseCache.set(courseId, { at: now, value });
    value.catch(() => this.courseCache.delete(courseId));
    return value;
  }

  private async reserve(course: CourseFacts, slot: ReservationSlot): Promise<CertificateReservation> {
    const now = Date.now();
    const issued = this.calendar(now);
    const seq = await this.repository.nextSequence(course.id, issued.year);
    const reservation: CertificateReservation = {
      seq,
      number: formatCertificateNumber(this.config.get('CERT_NUMBER_PATTERN', { infer: true }), {
        seq,
        courseCode: course.code,
        year: issued.year,
        month: issued.month,
      }),
      verificationCode: randomBytes(16).toString('base64url'),
      issuedAt: new Date(now).toISOString(),
    };
    await slot.save(reservation);
    return reservation;
  }

  /**
   * Idempotent: one notice job per certificate (its job id), and the delivery record makes the email
   * once. A certificate stored by this job passes what its email says, so the email job reads
   * neither the certificate nor the user; one found stored (a retry, another job) does not.
   */
  private async notifyIssued(certificateId: string, notice?: CertificateNoticeFacts): Promise<void> {
    await this.notices.issued(notice ? { certificateId, notice } : { certificateId });
  }

  private longDate(at: Date): string {
    return this.calendar(at.getTime()).longDate;
  }

  /**
   * Year, month and long date in the display time zone. Every zone's offset is a multiple of 15
   * minutes, so one conversion per quarter hour is exact (luxon's zone arithmetic and formatting
   * were a tenth of the main thread's time per certificate).
   */
  private calendar(ms: number): { year: number; month: number; longDate: string } {
    const quarter = Math.floor(ms / 900_000);
    let hit = this.calendarCache.get(quarter);
    if (!hit) {
      const at = DateTime.fromMillis(quarter * 900_000)
        .setZone(DISPLAY_TIME_ZONE)
        .setLocale('id');
      hit = { year: at.year, month: at.month, longDate: at.toFormat('d MMMM yyyy') };
      if (this.calendarCache.size > 64) this.calendarCache.clear();
      this.calendarCache.set(quarter, hit);
    }
    return hit;
  }

  private readonly calendarCache = new Map<number, { year: number; month: number; longDate: string }>();
  /** Per cached course facts object (kept 15 s, see courseFacts). */
  private readonly dateRanges = new WeakMap<CourseFacts, string>();

  private dateRangeOf(course: CourseFacts): string {
    let range = this.dateRanges.get(course);
    if (range === undefined) {
      range = this.dateRange(course);
      this.dateRanges.set(course, range);
    }
    return range;
  }

  /** "3 Maret 2026", "3 s.d. 5 Maret 2026", "28 Februari s.d. 2 Maret 2026", across years in full. */
  private dateRange(course: CourseFacts): string {
    if (!course.firstStartsAt || !course.lastEndsAt) return '-';
    const from = DateTime.fromJSDate(course.firstStartsAt).setZone(DISPLAY_TIME_ZONE).setLocale('id');
    const to = DateTime.fromJSDate(course.lastEndsAt).setZone(DISPLAY_TIME_ZONE).setLocale('id');
    if (from.hasSame(to, 'day')) return to.toFormat('d MMMM yyyy');
    if (from.hasSame(to, 'month')) return `${from.toFormat('d')} s.d. ${to.toFormat('d MMMM yyyy')}`;
    if (from.hasSame(to, 'year')) return `${from.toFormat('d MMMM')} s.d. ${to.toFormat('d MMMM yyyy')}`;
    return `${from.toFormat('d MMMM yyyy')} s.d. ${to.toFormat('d MMMM yyyy')}`;
  }
}
