/**
 * The reads the certificate conditions and the gain report need beyond the
 * assessment's own repositories: a course's assessment rules, its
 * participants' post-test and evaluation facts, certificate state and the
 * people behind the scores. The models stay here (one persistence boundary);
 * callers get plain objects.
 */
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import {
  AssessmentSettings,
  Certificate,
  certificateObjectId,
  EvaluationSubmission,
  TestAnswer,
  TestAttempt,
  User,
} from '@balai/database';
import { CourseAssessmentFacts, readAssessmentFacts } from '@balai/database/assessment-facts';

export type ReportPerson = Pick<User, '_id' | 'name' | 'ikm'>;

@Injectable()
export class AssessmentFactsRepository {
  constructor(
    @InjectModel(AssessmentSettings.name) private readonly settings: Model<AssessmentSettings>,
    @InjectModel(TestAttempt.name) private readonly attempts: Model<TestAttempt>,
    @InjectModel(TestAnswer.name) private readonly answers: Model<TestAnswer>,
    @InjectModel(EvaluationSubmission.name) private readonly submissions: Model<EvaluationSubmission>,
    @InjectModel(Certificate.name) private readonly certificates: Model<Certificate>,
    @InjectModel(User.name) private readonly users: Model<User>,
  ) {}

  rules(courseId: Types.ObjectId): Promise<AssessmentSettings | null> {
    return this.settings.findById(courseId).lean<AssessmentSettings>().exec();
  }

  /** Scores and submissions of these participants, read even when no rule needs them. */
  facts(courseId: string, userIds: string[]): Promise<CourseAssessmentFacts> {
    const models = {
      settings: this.settings,
      attempts: this.attempts,
      answers: this.answers,
      submissions: this.submissions,
    };
    return readAssessmentFacts(models, courseId, userIds, true);
  }

  async certificateStatus(courseId: Types.ObjectId, userId: string): Promise<Certificate['status'] | null> {
    const found = await this.certificates
      .findById(certificateObjectId(courseId, userId), { status: 1 })
      .lean<Certificate>()
      .exec();
    return found?.status ?? null;
  }

  async hasCertificate(courseId: Types.ObjectId, userId: string): Promise<boolean> {
    return (await this.certificates.exists({ _id: certificateObjectId(courseId, userId) }).exec()) !== null;
  }

  people(userIds: Types.ObjectId[]): Promise<ReportPerson[]> {
    return this.users
      .find({ _id: { $in: userIds } }, { name: 1, ikm: 1 })
      .lean<ReportPerson[]>()
      .exec();
  }
}
