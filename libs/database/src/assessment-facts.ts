/**
 * What the certificate rules of issue 11 need to know about participants: the
 * course's assessment conditions, each one's best submitted post-test score and
 * whether they submitted the evaluation. Shared by the API (what is missing,
 * reports) and the certificate eligibility check (API batch, worker, auto-issue)
 * so they cannot disagree. Reads only. Never reads evaluation answers.
 */
import type { Model } from 'mongoose';
import { Types } from 'mongoose';
import type { AssessmentFacts, AssessmentRules } from '@balai/domain/assessment';
import { AssessmentSettings, TestAttempt, testAttemptId } from './schemas/assessment.schema';
import { EvaluationSubmission, evaluationSubmissionId } from './schemas/evaluation.schema';

export interface AssessmentModels {
  settings: Model<AssessmentSettings>;
  attempts: Model<TestAttempt>;
  submissions: Model<EvaluationSubmission>;
}

export interface CourseAssessmentFacts {
  rules: Required<AssessmentRules>;
  /** Per participant id; absent ids have no post-test and no evaluation. */
  facts: Map<string, AssessmentFacts>;
}

const MAX_ATTEMPTS = 10;
/** Above this many participants one course-wide query beats per-key lookups. */
const PER_KEY_LIMIT = 20;

/** `everything`: read scores and submissions even when no rule needs them (views and reports). */
export async function readAssessmentFacts(models: AssessmentModels, courseId: string, userIds: string[], everything = false): Promise<CourseAssessmentFacts> {
  const course = new Types.ObjectId(courseId);
  const stored = await models.settings.findById(course, { minPostTestPercent: 1, requireEvaluation: 1 }).lean<AssessmentSettings>().exec();
  const rules = { minPostTestPercent: stored?.minPostTestPercent ?? null, requireEvaluation: stored?.requireEvaluation === true };
  const facts = new Map<string, AssessmentFacts>(userIds.map((id) => [id, { postTestPercent: null, evaluationSubmitted: false }]));
  if (!everything && rules.minPostTestPercent === null && !rules.requireEvaluation) return { rules, facts };
  const perKey = userIds.length <= PER_KEY_LIMIT;
  if (everything || rules.minPostTestPercent !== null) {
    const filter = perKey
      ? { _id: { $in: userIds.flatMap((u) => Array.from({ length: MAX_ATTEMPTS }, (_, i) => testAttemptId(course, 'post', u, i + 1))) } }
      : { courseId: course, kind: 'post' };
    const attempts = await models.attempts.find(filter, { userId: 1, percent: 1, submittedAt: 1 }).lean<TestAttempt[]>().exec();
    for (const a of attempts) {
      const f = facts.get(a.userId.toString());
      if (!f || !a.submittedAt || typeof a.percent !== 'number') continue;
      f.postTestPercent = Math.max(f.postTestPercent ?? -1, a.percent);
    }
  }
  if (everything || rules.requireEvaluation) {
    const filter = perKey ? { _id: { $in: userIds.map((u) => evaluationSubmissionId(course, u)) } } : { courseId: course };
    const rows = await models.submissions.find(filter, { userId: 1 }).lean<EvaluationSubmission[]>().exec();
    for (const r of rows) {
      const f = facts.get(r.userId.toString());
      if (f) f.evaluationSubmitted = true;
    }
  }
  return { rules, facts };
}
