/**
 * Course-wide eligibility snapshots for a batch. Issuing 1,000 certificates
 * would otherwise read the course's sessions, enrolments and attendance 1,000
 * times; a snapshot is read once and trusted for 30 seconds.
 * Only a positive answer is taken from the snapshot: a participant it calls
 * ineligible (or does not know) is checked again against the database before
 * the job is failed.
 */
import { Injectable } from '@nestjs/common';
import { CertificateEligibility, CourseEligibility, ParticipantEligibility } from '@balai/queue';

const TTL_MS = 30_000;

export interface EligibilityVerdict {
  minAttendancePercent: number;
  participant: ParticipantEligibility;
}

@Injectable()
export class EligibilityCache {
  private readonly snapshots = new Map<string, { at: number; value: Promise<CourseEligibility | null> }>();

  constructor(private readonly eligibility: CertificateEligibility) {}

  /** Null when the course does not exist. */
  async check(courseId: string, userId: string): Promise<EligibilityVerdict | null> {
    const snapshot = await this.snapshot(courseId);
    const cached = snapshot?.participants.find((p) => p.userId === userId);
    if (snapshot && cached?.eligible) return { minAttendancePercent: snapshot.minAttendancePercent, participant: cached };
    const fresh = await this.eligibility.forCourse(courseId, [userId]);
    if (!fresh) return null;
    return { minAttendancePercent: fresh.minAttendancePercent, participant: fresh.participants[0]! };
  }

  private snapshot(courseId: string): Promise<CourseEligibility | null> {
    const now = Date.now();
    const hit = this.snapshots.get(courseId);
    if (hit && now - hit.at < TTL_MS) return hit.value;
    for (const [key, entry] of this.snapshots) if (now - entry.at >= TTL_MS) this.snapshots.delete(key);
    const value = this.eligibility.forCourse(courseId);
    this.snapshots.set(courseId, { at: now, value });
    value.catch(() => this.snapshots.delete(courseId));
    return value;
  }
}
