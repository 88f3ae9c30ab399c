/**
 * What the certificate rules of issue 11 need to know about participants: the
 * course's assessment conditions, each one's best submitted post-test score and
 * whether they submitted the evaluation. Shared by the API (what is missing,
 * reports) and the certificate eligibility check (API batch, worker, auto-issue)
 * so they cannot disagree. Reads only. Never reads evaluation answers.
 */
import type { Model } from 'mongoose';
import { Types } from 'mongoose';
import { AssessmentFacts, AssessmentRules, scoreAttempt } from '@balai/domain/assessment';
import { AssessmentSettings, TestAnswer, testAnswerId, TestAttempt, testAttemptId } from './schemas/assessment.schema';
import { EvaluationSubmission, evaluationSubmissionId } from './schemas/evaluation.schema';

export interface AssessmentModels {
  settings: Model<AssessmentSettings>;
  attempts: Model<TestAttempt>;
  answers: Model<TestAnswer>;
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
export async function readAssessmentFacts(
  models: AssessmentModels,
  courseId: string,
  userIds: string[],
  everything = false,
  now: Date = new Date(),
): Promise<CourseAssessmentFacts> {
  const course = new Types.ObjectId(courseId);
  const stored = await models.settings
    .findById(course, { minPostTestPercent: 1, requireEvaluation: 1 })
    .lean<AssessmentSettings>()
    .exec();
  const rules = {
    minPostTestPercent: stored?.minPostTestPercent ?? null,
    requireEvaluation: stored?.requireEvaluation === true,
  };
  const facts = new Map<string, AssessmentFacts>(
    userIds.map((id) => [id, { postTestPercent: null, evaluationSubmitted: false }]),
  );
  if (!everything && rules.minPostTestPercent === null && !rules.requireEvaluation) return { rules, facts };
  const perKey = userIds.length <= PER_KEY_LIMIT;
  if (everything || rules.minPostTestPercent !== null) {
    const projection = { userId: 1, percent: 1, submittedAt: 1, deadlineAt: 1 };
    // Per key: attempt numbers are contiguous from 1; each read is by primary key (FerretDB pushes `_id` equality down, not `$in`).
    const attempts = perKey
      ? (
          await Promise.all(
            userIds.map(async (u) => {
              const rows: TestAttempt[] = [];
              for (let n = 1; n <= MAX_ATTEMPTS; n += 1) {
                const row = await models.attempts
                  .findById(testAttemptId(course, 'post', u, n), projection)
                  .lean<TestAttempt>()
                  .exec();
                if (!row) break;
                rows.push(row);
              }
              return rows;
            }),
          )
        ).flat()
      : await models.attempts.find({ courseId: course, kind: 'post' }, projection).lean<TestAttempt[]>().exec();
    for (const a of attempts) {
      const f = facts.get(a.userId.toString());
      if (!f) continue;
      let percent = a.submittedAt && typeof a.percent === 'number' ? a.percent : null;
      // Past its deadline but nobody submitted (the phone never came back): it counts with what was saved in time.
      if (percent === null && !a.submittedAt && a.deadlineAt.getTime() <= now.getTime())
        percent = await scoreExpired(models, a._id);
      if (percent !== null) f.postTestPercent = Math.max(f.postTestPercent ?? -1, percent);
    }
  }
  if (everything || rules.requireEvaluation) {
    const rows = perKey
      ? (
          await Promise.all(
            userIds.map((u) =>
              models.submissions
                .findById(evaluationSubmissionId(course, u), { userId: 1 })
                .lean<EvaluationSubmission>()
                .exec(),
            ),
          )
        ).filter((r): r is EvaluationSubmission => r !== null)
      : await models.submissions.find({ courseId: course }, { userId: 1 }).lean<EvaluationSubmission[]>().exec();
    for (const r of rows) {
      const f = facts.get(r.userId.toString());
      if (f) f.evaluationSubmitted = true;
    }
  }
  return { rules, facts };
}

async function scoreExpired(models: AssessmentModels, attemptId: Types.ObjectId): Promise<number | null> {
  const attempt = await models.attempts.findById(attemptId, { questions: 1, deadlineAt: 1 }).lean<TestAttempt>().exec();
  if (!attempt) return null;
  const rows = (
    await Promise.all(
      attempt.questions.map((q) => models.answers.findById(testAnswerId(attempt._id, q.id)).lean<TestAnswer>().exec()),
    )
  ).filter((r): r is TestAnswer => r !== null);
  const inTime = new Map(
    rows.filter((r) => r.savedAt.getTime() <= attempt.deadlineAt.getTime()).map((r) => [r.questionId, r.optionIds]),
  );
  return scoreAttempt(attempt.questions, inTime).percent;
}
