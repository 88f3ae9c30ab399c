/**
 * What a large batch prints about its participants (name, business, email), read in one pass over
 * the users instead of one read per certificate. On FerretDB v1.24 over PostgreSQL a read by `_id`
 * scans the whole users table (its filters reach PostgreSQL as `_jsonb->'_id' @> value`, which no
 * index there answers; measured 10-35 ms of PostgreSQL per read at 10,000 users, the largest cost
 * per certificate), and a `$in` of ids is not pushed down at all (32 ids: 1.2 s). One pass with a
 * projection costs about what a few dozen reads by `_id` cost, and on MongoDB it is one collection
 * scan per 30 s of a large batch.
 * Only for courses whose eligibility snapshot has at least DIRECTORY_MIN_PARTICIPANTS people; kept
 * DIRECTORY_FRESH_MS and refreshed in the background while jobs use the previous one (a name
 * corrected during a batch is printed from the next refresh on). Someone it does not know (added
 * since) is read by `_id` as before.
 */
import { Injectable } from '@nestjs/common';
import { CertificateRepository, ParticipantFacts } from './certificate.repository';
import { EligibilityCache } from './eligibility.cache';

export const DIRECTORY_MIN_PARTICIPANTS = 500;
export const DIRECTORY_FRESH_MS = 30_000;
const FORGET_MS = 10 * 60_000;

interface Entry {
  at: number;
  usedAt: number;
  value?: Map<string, ParticipantFacts>;
  loading?: Promise<void>;
}

@Injectable()
export class ParticipantDirectory {
  private readonly courses = new Map<string, Entry>();

  constructor(
    private readonly repository: CertificateRepository,
    private readonly eligibility: EligibilityCache,
  ) {}

  async facts(courseId: string, userId: string): Promise<ParticipantFacts | null> {
    const participants = this.eligibility.participantIds(courseId);
    if (participants && participants.size >= DIRECTORY_MIN_PARTICIPANTS) {
      const known = (await this.directory(courseId, participants))?.get(userId);
      if (known) return known;
    }
    return this.repository.participantFacts(userId);
  }

  private async directory(
    courseId: string,
    participants: Set<string>,
  ): Promise<Map<string, ParticipantFacts> | undefined> {
    const now = Date.now();
    for (const [key, entry] of this.courses) if (now - entry.usedAt > FORGET_MS) this.courses.delete(key);
    let entry = this.courses.get(courseId);
    if (!entry) {
      entry = { at: 0, usedAt: now };
      this.courses.set(courseId, entry);
    }
    entry.usedAt = now;
    if (now - entry.at >= DIRECTORY_FRESH_MS && !entry.loading) {
      const current = entry;
      current.loading = this.repository.participantFactsOf(participants).then(
        (value) => {
          Object.assign(current, { value, at: Date.now(), loading: undefined });
        },
        () => {
          // A failed pass: jobs read by `_id` until the next try.
          current.loading = undefined;
          current.at = Date.now();
        },
      );
    }
    if (entry.value === undefined) await entry.loading;
    return entry.value;
  }
}
