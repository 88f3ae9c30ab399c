/**
 * Certificates as the API sees them: read, list by owner, revoke. Issuing is the
 * worker's job; the API never creates a certificate. Returns plain objects.
 */
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Certificate, Course, Enrollment } from '@balai/database';

@Injectable()
export class CertificateRepository {
  constructor(
    @InjectModel(Certificate.name) private readonly certificates: Model<Certificate>,
    @InjectModel(Course.name) private readonly courses: Model<Course>,
    @InjectModel(Enrollment.name) private readonly enrollments: Model<Enrollment>,
  ) {}

  findById(id: string): Promise<Certificate | null> {
    return this.certificates.findById(id).lean();
  }

  findByCode(code: string): Promise<Certificate | null> {
    return this.certificates.findOne({ verificationCode: code }).lean();
  }

  listForCourse(courseId: string): Promise<Certificate[]> {
    return this.certificates
      .find({ courseId: new Types.ObjectId(courseId) })
      .sort({ number: 1 })
      .lean();
  }

  listForUser(userId: string): Promise<Certificate[]> {
    return this.certificates
      .find({ userId: new Types.ObjectId(userId) })
      .sort({ issuedAt: -1 })
      .lean();
  }

  async certifiedUserIds(courseId: string): Promise<Set<string>> {
    const rows = await this.certificates.find({ courseId: new Types.ObjectId(courseId) }, { userId: 1 }).lean();
    return new Set(rows.map((r) => r.userId.toString()));
  }

  /** Everyone who could have a job in this course's batch (enrolled now, or already holding a certificate). */
  async batchUserIds(courseId: string): Promise<string[]> {
    const [enrolled, certified] = await Promise.all([
      this.enrollments.find({ courseId: new Types.ObjectId(courseId), status: 'enrolled' }, { userId: 1 }).lean(),
      this.certifiedUserIds(courseId),
    ]);
    return [...new Set([...enrolled.map((e) => e.userId.toString()), ...certified])];
  }

  course(courseId: string): Promise<Pick<Course, '_id' | 'lessonHours' | 'certificate' | 'status'> | null> {
    return this.courses.findById(courseId, { lessonHours: 1, certificate: 1, status: 1 }).lean();
  }

  /** Conditional update: only a valid certificate can be revoked, once. */
  revoke(id: string, reason: string, at: Date): Promise<Certificate | null> {
    return this.certificates
      .findOneAndUpdate(
        { _id: new Types.ObjectId(id), status: 'valid' },
        { $set: { status: 'revoked', revokedAt: at, revokedReason: reason } },
        { new: true },
      )
      .lean();
  }
}
