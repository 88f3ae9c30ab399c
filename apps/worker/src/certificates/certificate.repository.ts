/**
 * Data access for issuing: certificates, their counters, and the course and
 * participant facts printed on them. Returns plain objects only.
 */
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { isDuplicateKeyError } from '@balai/common';
import { Certificate, certificateObjectId, CertificateCounter, Course, CourseSession, User } from '@balai/database';

export type CertificateRecord = Certificate;
export type InsertOutcome = { created: CertificateRecord } | { conflict: 'pair' | 'other' };
export type NewCertificate = Omit<
  Certificate,
  '_id' | 'createdAt' | 'updatedAt' | 'status' | 'revokedAt' | 'revokedReason' | 'notifiedAt'
>;

export interface CourseFacts {
  id: string;
  code: string;
  title: string;
  type: 'pelatihan' | 'sosialisasi';
  lessonHours: number;
  firstStartsAt?: Date;
  lastEndsAt?: Date;
}

export interface ParticipantFacts {
  id: string;
  name: string;
  email: string;
  businessName?: string;
  whatsapp?: string;
}

@Injectable()
export class CertificateRepository {
  constructor(
    @InjectModel(Certificate.name) private readonly certificates: Model<Certificate>,
    @InjectModel(CertificateCounter.name) private readonly counters: Model<CertificateCounter>,
    @InjectModel(Course.name) private readonly courses: Model<Course>,
    @InjectModel(CourseSession.name) private readonly sessions: Model<CourseSession>,
    @InjectModel(User.name) private readonly users: Model<User>,
  ) {}

  /**
   * By primary key: the certificate of (course, participant) has a deterministic _id, a key lookup
   * on MongoDB. FerretDB v1.24 over PostgreSQL still scans the table for it: it pushes every filter
   * down as `_jsonb->'_id' @> value`, which its btree indexes on `(_jsonb->'_id')` cannot answer
   * (only its UPDATE/DELETE by `_id` and the unique checks of INSERT use them). So the issuer calls
   * this only for a job that may have run before.
   */
  findFor(courseId: string, userId: string): Promise<CertificateRecord | null> {
    // The driver's collection, not a mongoose query: this runs once or twice per certificate and
    // mongoose's query building and casting cost more CPU than the lookup itself.
    return this.certificates.collection.findOne<CertificateRecord>({ _id: certificateObjectId(courseId, userId) });
  }

  /** Who already holds a certificate of the course (valid or revoked): one query by course. */
  async certifiedUserIds(courseId: string): Promise<Set<string>> {
    const rows = await this.certificates.collection
      .find<{ userId: Types.ObjectId }>({ courseId: new Types.ObjectId(courseId) }, { projection: { userId: 1 } })
      .toArray();
    return new Set(rows.map((r) => r.userId.toString()));
  }

  findById(certificateId: string): Promise<CertificateRecord | null> {
    if (!Types.ObjectId.isValid(certificateId)) return Promise.resolve(null);
    return this.certificates.findById(certificateId).lean();
  }

  /**
   * Insert several (one insert, unordered: each stands alone). On a unique-index conflict, says
   * which: `pair` when (course, participant) already has one (another attempt won; the index
   * decides, not a prior read), `other` when the number or code collided.
   */
  async insertMany(certificates: NewCertificate[]): Promise<InsertOutcome[]> {
    const now = new Date();
    const docs = certificates.map((c) => ({
      ...c,
      _id: certificateObjectId(c.courseId.toString(), c.userId.toString()),
      status: 'valid' as const,
      createdAt: now,
      updatedAt: now,
    }));
    const duplicates = new Set<number>();
    try {
      await this.certificates.collection.insertMany(docs, { ordered: false });
    } catch (error) {
      const reported = (error as { writeErrors?: unknown }).writeErrors;
      const writeErrors = (Array.isArray(reported) ? reported : reported ? [reported] : []) as Array<{ index: number }>;
      // MongoDB says 11000; FerretDB may say code 1 ("UNIQUE constraint failed" / "duplicate key").
      if (!writeErrors.length || !writeErrors.every((w) => isDuplicateKeyError(w))) throw error;
      for (const w of writeErrors) duplicates.add(w.index);
    }
    return Promise.all(
      docs.map(async (doc, i): Promise<InsertOutcome> => {
        if (!duplicates.has(i)) return { created: doc as CertificateRecord };
        const existing = await this.findFor(doc.courseId.toString(), doc.userId.toString());
        return { conflict: existing ? 'pair' : 'other' };
      }),
    );
  }

  private sequenceChain: Promise<unknown> = Promise.resolve();
  private readonly waitingForSequence = new Map<
    string,
    Array<{ resolve(seq: number): void; reject(e: unknown): void }>
  >();

  /**
   * Next number of the (course, year) sequence. Jobs asking while an increment is on its way are
   * served together by the next one (`$inc` by their count), so a batch costs one counter update
   * per round, not one per certificate, and numbers are never reused: a crash before a job saved
   * its number only skips it, as before.
   * Increments from this process are serialised: FerretDB v1 (SQLite) does not apply concurrent
   * `$inc`s atomically (measured: 40 concurrent increments gave 17 distinct values), MongoDB does.
   * Across processes the unique index on `number` still refuses a duplicate and the issuer takes a
   * fresh number.
   */
  nextSequence(courseId: string, year: number): Promise<number> {
    const key = `${courseId}:${year}`;
    return new Promise<number>((resolve, reject) => {
      const waiting = this.waitingForSequence.get(key);
      if (waiting) {
        waiting.push({ resolve, reject });
        return;
      }
      const round = [{ resolve, reject }];
      this.waitingForSequence.set(key, round);
      // Start the round when the chain reaches it; whoever arrives before then joins it.
      const start = this.sequenceChain.then(() => {
        this.waitingForSequence.delete(key);
        return this.incrementCounter(key, round.length);
      });
      this.sequenceChain = start.catch(() => undefined);
      start.then(
        (last) => round.forEach((w, i) => w.resolve(last - round.length + 1 + i)),
        (error: unknown) => round.forEach((w) => w.reject(error)),
      );
    });
  }

  private async incrementCounter(key: string, count: number): Promise<number> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const counter = await this.counters
          .findOneAndUpdate({ _id: key }, { $inc: { seq: count } }, { upsert: true, new: true })
          .lean();
        return counter!.seq;
      } catch (error) {
        if (!isDuplicateKeyError(error) || attempt >= 5) throw error;
      }
    }
  }

  async courseFacts(courseId: string): Promise<CourseFacts | null> {
    const course = await this.courses.findById(courseId, { code: 1, title: 1, type: 1, lessonHours: 1 }).lean();
    if (!course) return null;
    const sessions = await this.sessions
      .find({ courseId: course._id, status: { $ne: 'cancelled' } }, { startsAt: 1, endsAt: 1 })
      .sort({ startsAt: 1 })
      .lean();
    return {
      id: course._id.toString(),
      code: course.code,
      title: course.title,
      type: course.type,
      lessonHours: course.lessonHours,
      firstStartsAt: sessions[0]?.startsAt,
      lastEndsAt: sessions.reduce<Date | undefined>(
        (last, s) => (!last || s.endsAt > last ? s.endsAt : last),
        undefined,
      ),
    };
  }

  /** Courses whose rules ask for automatic issuing (the auto-issuer then checks each one's schedule). */
  async autoIssueCandidates(): Promise<string[]> {
    const rows = await this.courses
      .find(
        { 'certificate.autoIssue': true, 'certificate.enabled': { $ne: false }, status: { $ne: 'cancelled' } },
        { _id: 1 },
      )
      .lean();
    return rows.map((c) => c._id.toString());
  }

  /**
   * The facts of the given people in one pass over the users (a projection, streamed): see
   * ParticipantDirectory for why not by `_id`.
   */
  async participantFactsOf(userIds: Set<string>): Promise<Map<string, ParticipantFacts>> {
    const found = new Map<string, ParticipantFacts>();
    const cursor = this.users.collection.find<Pick<User, 'name' | 'email' | 'ikm'> & { _id: Types.ObjectId }>(
      {},
      { projection: { name: 1, email: 1, 'ikm.businessName': 1, 'ikm.whatsapp': 1 }, batchSize: 1000 },
    );
    for await (const user of cursor) {
      const id = user._id.toString();
      if (!userIds.has(id)) continue;
      found.set(id, {
        id,
        name: user.name,
        email: user.email,
        businessName: user.ikm?.businessName,
        whatsapp: user.ikm?.whatsapp,
      });
    }
    return found;
  }

  async participantFacts(userId: string): Promise<ParticipantFacts | null> {
    if (!Types.ObjectId.isValid(userId)) return null;
    // The driver's collection (see findFor): once per certificate.
    const user = await this.users.collection.findOne<Pick<User, 'name' | 'email' | 'ikm'> & { _id: Types.ObjectId }>(
      { _id: new Types.ObjectId(userId) },
      { projection: { name: 1, email: 1, 'ikm.businessName': 1, 'ikm.whatsapp': 1 } },
    );
    if (!user) return null;
    return {
      id: user._id.toString(),
      name: user.name,
      email: user.email,
      businessName: user.ikm?.businessName,
      whatsapp: user.ikm?.whatsapp,
    };
  }
}
