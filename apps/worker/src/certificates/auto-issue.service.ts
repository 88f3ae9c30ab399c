/**
 * Automatic issuing: a repeating scan (BullMQ job scheduler, so one schedule
 * however many workers run) finds courses whose rules say `autoIssue` and whose
 * last session has ended, and enqueues their eligible participants exactly as
 * an admin's request would. Safe to repeat: job ids are deterministic and
 * certified participants are skipped.
 */
import { Injectable } from '@nestjs/common';
import { EligibilityRepository } from '@balai/database';
import { CertificateProducer } from '@balai/queue';
import { CertificateRepository } from './certificate.repository';

export const AUTO_ISSUE_EVERY_MS = 5 * 60_000;
/** Courses that ended longer ago than this are left to admins. */
const LOOKBACK_MS = 30 * 24 * 3600_000;

export interface AutoIssueReport {
  courses: number;
  enqueued: number;
}

@Injectable()
export class AutoIssuer {
  constructor(
    private readonly eligibility: EligibilityRepository,
    private readonly producer: CertificateProducer,
    private readonly certificates: CertificateRepository,
  ) {}

  async scan(now: Date = new Date()): Promise<AutoIssueReport> {
    const report: AutoIssueReport = { courses: 0, enqueued: 0 };
    for (const courseId of await this.certificates.autoIssueCandidates()) {
      const verdict = await this.eligibility.forCourse(courseId, undefined, now);
      if (!verdict?.allSessionsEnded) continue;
      const facts = await this.certificates.courseFacts(courseId);
      if (!facts?.lastEndsAt || now.getTime() - facts.lastEndsAt.getTime() > LOOKBACK_MS) continue;
      // One read of the course's certificates, not one lookup per participant (each a scan on FerretDB).
      const certified = await this.certificates.certifiedUserIds(courseId);
      const toIssue = verdict.participants.filter((p) => p.eligible && !certified.has(p.userId)).map((p) => p.userId);
      if (!toIssue.length) continue;
      await this.producer.enqueue(courseId, toIssue, 'auto');
      report.courses += 1;
      report.enqueued += toIssue.length;
    }
    return report;
  }
}
