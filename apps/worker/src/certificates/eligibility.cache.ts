/**
 * Course-wide eligibility snapshots for a batch. Issuing 1,000 certificates
 * would otherwise read the course's sessions, enrolments and attendance 1,000
 * times (on FerretDB v1 each such read scans the collection: seconds, not
 * milliseconds). A snapshot is read once, trusted for 30 s, and then refreshed
 * in the background while jobs keep using the previous one.
 * Only a positive answer is taken from a snapshot: a participant it calls
 * ineligible (or does not know) is checked again against the database before
 * the job is failed.
 */
import { Injectable } from '@nestjs/common';
import { CourseEligibility, EligibilityRepository, ParticipantEligibility } from '@balai/database';

const FRESH_MS = 30_000;
/** Unused snapshots are dropped after this. */
const FORGET_MS = 10 * 60_000;

export interface EligibilityVerdict {
  minAttendancePercent: number;
  participant: ParticipantEligibility;
}

interface Entry {
  at: number;
  usedAt: number;
  value?: CourseEligibility | null;
  /** The snapshot's participants by id: one lookup per job, whatever the size of the course. */
  byUser?: Map<string, ParticipantEligibility>;
  ids?: Set<string>;
  loading?: Promise<CourseEligibility | null>;
}

@Injectable()
export class EligibilityCache {
  private readonly snapshots = new Map<string, Entry>();

  constructor(private readonly eligibility: EligibilityRepository) {}

  /** Null when the course does not exist. */
  async check(courseId: string, userId: string): Promise<EligibilityVerdict | null> {
    const entry = await this.snapshot(courseId);
    const snapshot = entry.value;
    const cached = entry.byUser?.get(userId);
    if (snapshot && cached?.eligible)
      return { minAttendancePercent: snapshot.minAttendancePercent, participant: cached };
    const fresh = await this.eligibility.forCourse(courseId, [userId]);
    if (!fresh) return null;
    return { minAttendancePercent: fresh.minAttendancePercent, participant: fresh.participants[0]! };
  }

  /** The participants of the course's current snapshot, if one was read. */
  participantIds(courseId: string): Set<string> | undefined {
    const entry = this.snapshots.get(courseId);
    if (!entry?.byUser) return undefined;
    entry.ids ??= new Set(entry.byUser.keys());
    return entry.ids;
  }

  private async snapshot(courseId: string): Promise<Entry> {
    const now = Date.now();
    for (const [key, entry] of this.snapshots) if (now - entry.usedAt > FORGET_MS) this.snapshots.delete(key);
    let entry = this.snapshots.get(courseId);
    if (!entry) {
      entry = { at: 0, usedAt: now };
      this.snapshots.set(courseId, entry);
    }
    entry.usedAt = now;
    if (now - entry.at >= FRESH_MS && !entry.loading) {
      const current = entry;
      current.loading = this.eligibility.forCourse(courseId).then(
        (value) => {
          const byUser = new Map(value?.participants.map((p) => [p.userId, p]));
          Object.assign(current, { value, byUser, ids: undefined, at: Date.now(), loading: undefined });
          return value;
        },
        (error: unknown) => {
          current.loading = undefined;
          throw error;
        },
      );
    }
    // Stale while revalidating: only the very first read of a course waits.
    if (entry.value === undefined) await entry.loading;
    return entry;
  }
}
