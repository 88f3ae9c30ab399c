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
   * By primary key: the certificate of (course, participant) has a deterministic
   * _id, so this check is a key lookup, not a query on two fields (which a
   * MongoDB-protocol server without index pushdown, like FerretDB v1, scans).
   */
  findFor(courseId: string, userId: string): Promise<CertificateRecord | null> {
    return this.certificates.findById(certificateObjectId(courseId, userId)).lean();
  }

  findById(certificateId: string): Promise<CertificateRecord | null> {
    if (!Types.ObjectId.isValid(certificateId)) return Promise.resolve(null);
    return this.certificates.findById(certificateId).lean();
  }

  /**
   * Insert. On a unique-index conflict, says which: `pair` when (course,
   * participant) already has one (another attempt won; the index decides, not
   * a prior read), `other` when the number or code collided.
   */
  async insert(certificate: NewCertificate): Promise<{ created: CertificateRecord } | { conflict: 'pair' | 'other' }> {
    try {
      const _id = certificateObjectId(certificate.courseId.toString(), certificate.userId.toString());
      const created = await this.certificates.create({ ...certificate, _id, status: 'valid' });
      return { created: created.toObject() };
    } catch (error) {
      // MongoDB says 11000; FerretDB may say code 1 ("UNIQUE constraint failed" / "duplicate key").
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.findFor(certificate.courseId.toString(), certificate.userId.toString());
      return { conflict: existing ? 'pair' : 'other' };
    }
  }

  /**
   * Next number of the (course, year) sequence via `$inc`. Two first upserts
   * can race on the counter's _id; the loser simply tries again.
   * Calls from this process are serialised: FerretDB v1 (SQLite) does not apply
   * concurrent `$inc`s atomically (measured: 40 concurrent increments gave 17
   * distinct values), MongoDB does. Across processes the unique index on
   * `number` still refuses a duplicate and the issuer takes a fresh number.
   */
  nextSequence(courseId: string, year: number): Promise<number> {
    const next = this.sequenceChain.then(() => this.incrementCounter(courseId, year));
    this.sequenceChain = next.catch(() => undefined);
    return next;
  }

  private sequenceChain: Promise<unknown> = Promise.resolve();

  private async incrementCounter(courseId: string, year: number): Promise<number> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const counter = await this.counters
          .findOneAndUpdate({ _id: `${courseId}:${year}` }, { $inc: { seq: 1 } }, { upsert: true, new: true })
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

  async participantFacts(userId: string): Promise<ParticipantFacts | null> {
    if (!Types.ObjectId.isValid(userId)) return null;
    const user = await this.users.findById(userId, { name: 1, email: 1, 'ikm.businessName': 1 }).lean();
    if (!user) return null;
    return { id: user._id.toString(), name: user.name, email: user.email, businessName: user.ikm?.businessName };
  }
}
