/**
 * A participant's certificate conditions in one place: attendance (the
 * platform's eligibility check) plus the optional post-test minimum and
 * evaluation of issue 11. Also the hook that makes automatic issuance fire when
 * the last condition is met after the course has ended: a late post-test or
 * evaluation enqueues that one certificate through the typed producer, and the
 * worker checks eligibility again before it issues.
 */
import { Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '@balai/common';
import { EligibilityRepository } from '@balai/database';
import { DEFAULT_MIN_ATTENDANCE_PERCENT } from '@balai/domain';
import { CertificateProducer } from '@balai/queue';
import { CourseAccess } from '../courses/course-access';
import type { CourseRecord } from '../courses/course.repository';
import { forbidden, notFound } from '../common/errors';
import { AssessmentFactsRepository } from './assessment-facts.repository';
import type { CertificateRequirementsDto } from './dto/test.dto';

export interface ParticipantRequirements {
  userId: string;
  eligible: boolean;
  reasons: string[];
  attendancePercent: number;
  postTestPercent: number | null;
  evaluationSubmitted: boolean;
}

@Injectable()
export class CertificateRequirements {
  private readonly logger = new Logger(CertificateRequirements.name);

  constructor(
    private readonly access: CourseAccess,
    private readonly eligibility: EligibilityRepository,
    private readonly producer: CertificateProducer,
    private readonly stored: AssessmentFactsRepository,
  ) {}

  /** What the signed-in participant still lacks ("Isi evaluasi untuk mendapatkan sertifikat"). */
  async mine(actor: AuthUser, courseId: string): Promise<CertificateRequirementsDto> {
    if (actor.role !== 'participant') throw forbidden();
    const course = await this.access.forMember(actor, courseId, true);
    const [row] = await this.forParticipants(course, [actor.id]);
    if (!row) throw notFound();
    const rules = await this.stored.rules(course._id);
    const certified = (await this.stored.certificateStatus(course._id, row.userId)) === 'valid';
    return {
      courseId,
      eligible: row.eligible,
      reasons: row.reasons,
      attendancePercent: row.attendancePercent,
      minAttendancePercent: course.certificate?.minAttendancePercent ?? DEFAULT_MIN_ATTENDANCE_PERCENT,
      postTestPercent: row.postTestPercent,
      minPostTestPercent: rules?.minPostTestPercent ?? null,
      evaluationSubmitted: row.evaluationSubmitted,
      requireEvaluation: rules?.requireEvaluation === true,
      certified: Boolean(certified),
    };
  }

  /** Every condition for these participants (admin reports show each one's reasons). */
  async forParticipants(course: CourseRecord, userIds?: string[]): Promise<ParticipantRequirements[]> {
    const courseId = course._id.toHexString();
    const verdict = await this.eligibility.forCourse(courseId, userIds);
    if (!verdict) return [];
    const ids = verdict.participants.map((p) => p.userId);
    const { facts } = await this.stored.facts(courseId, ids);
    return verdict.participants.map((p) => {
      const f = facts.get(p.userId) ?? { postTestPercent: null, evaluationSubmitted: false };
      // The verdict already counts the assessment conditions (EligibilityRepository -> attendanceVerdict).
      const reasons: string[] = p.eligible ? [] : (p.reasons ?? [p.reason ?? 'NOT_ELIGIBLE']);
      return {
        userId: p.userId,
        eligible: reasons.length === 0,
        reasons,
        attendancePercent: p.attendancePercent,
        postTestPercent: f.postTestPercent,
        evaluationSubmitted: f.evaluationSubmitted,
      };
    });
  }

  /**
   * Called when a participant submits the post-test or the evaluation: with
   * automatic issuance on and the course over, an eligible participant's
   * certificate is enqueued now instead of waiting for the next scan.
   */
  async recheck(course: CourseRecord, userId: string): Promise<void> {
    try {
      await this.enqueueIfNowEligible(course, userId);
    } catch (error) {
      // The submission itself succeeded; the auto-issue scan (every 5 min) catches this one up.
      this.logger.warn(
        { courseId: course._id.toHexString(), userId, err: String(error) },
        'certificate re-check after a submission failed',
      );
    }
  }

  private async enqueueIfNowEligible(course: CourseRecord, userId: string): Promise<void> {
    const rules = course.certificate;
    if (!rules || rules.enabled === false || rules.autoIssue !== true) return;
    const verdict = await this.eligibility.forCourse(course._id.toHexString(), [userId]);
    if (!verdict?.allSessionsEnded) return;
    const [row] = await this.forParticipants(course, [userId]);
    if (!row?.eligible) return;
    if (await this.stored.hasCertificate(course._id, row.userId)) return;
    await this.producer.enqueue(course._id.toHexString(), [userId], 'auto');
    this.logger.log(
      { courseId: course._id.toHexString(), userId },
      'certificate enqueued after the last condition was met',
    );
  }
}
