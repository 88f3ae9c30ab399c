import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { AssessmentSettings } from '@balai/database';
import {
  AssessmentRules,
  DEFAULT_POST_TEST_OPEN_DAYS,
  DEFAULT_TEST_MAX_ATTEMPTS,
  DEFAULT_TEST_TIME_LIMIT_MINUTES,
  TestKind,
} from '@balai/domain/assessment';

export interface ResolvedTestSettings {
  enabled: boolean;
  timeLimitMinutes: number;
  maxAttempts: number;
  openDays: number;
  openedAt: Date | null;
}

export interface ResolvedAssessmentSettings extends Required<AssessmentRules> {
  courseId: string;
  pre: ResolvedTestSettings;
  post: ResolvedTestSettings;
  minPostTestPercent: number | null;
  requireEvaluation: boolean;
}

const resolveTest = (stored?: Partial<ResolvedTestSettings> | null): ResolvedTestSettings => ({
  enabled: stored?.enabled !== false,
  timeLimitMinutes: stored?.timeLimitMinutes ?? DEFAULT_TEST_TIME_LIMIT_MINUTES,
  maxAttempts: stored?.maxAttempts ?? DEFAULT_TEST_MAX_ATTEMPTS,
  openDays: stored?.openDays ?? DEFAULT_POST_TEST_OPEN_DAYS,
  openedAt: stored?.openedAt ?? null,
});

/** A course's test settings (`_id` = course id); a course without a document has the defaults. */
@Injectable()
export class AssessmentSettingsRepository {
  constructor(@InjectModel(AssessmentSettings.name) private readonly model: Model<AssessmentSettings>) {}

  async get(courseId: Types.ObjectId): Promise<ResolvedAssessmentSettings> {
    const doc = await this.model.findById(courseId).lean<AssessmentSettings>().exec();
    return {
      courseId: courseId.toHexString(),
      pre: resolveTest(doc?.pre),
      post: resolveTest(doc?.post),
      minPostTestPercent: doc?.minPostTestPercent ?? null,
      requireEvaluation: doc?.requireEvaluation === true,
    };
  }

  async update(courseId: Types.ObjectId, set: Record<string, unknown>): Promise<ResolvedAssessmentSettings> {
    if (Object.keys(set).length)
      await this.model.updateOne({ _id: courseId }, { $set: set }, { upsert: true, runValidators: true }).exec();
    return this.get(courseId);
  }

  async open(courseId: Types.ObjectId, kind: TestKind, at: Date): Promise<ResolvedAssessmentSettings> {
    return this.update(courseId, { [`${kind}.openedAt`]: at });
  }
}
