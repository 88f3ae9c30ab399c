/**
 * Pre-test, post-test and evaluation rules as pure functions (issue 11): how an
 * answer is scored, when a test is open, how an attempt is shuffled, what a
 * training changed (gain, normalised gain) and what a participant still lacks
 * for a certificate. The API scores on the server with these; the worker's
 * eligibility check uses `assessmentRequirements`. Never reads a clock itself.
 */

export const QUESTION_TYPES = ['single', 'multiple', 'truefalse'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const TEST_KINDS = ['pre', 'post'] as const;
export type TestKind = (typeof TEST_KINDS)[number];

export const DEFAULT_TEST_TIME_LIMIT_MINUTES = 20;
export const DEFAULT_TEST_MAX_ATTEMPTS = 1;
export const DEFAULT_POST_TEST_OPEN_DAYS = 7;

export interface ScorableOption {
  id: string;
  correct: boolean;
}

export interface ScorableQuestion {
  id: string;
  type: QuestionType;
  points: number;
  options: ScorableOption[];
}

/**
 * Points earned for one answer. Single-answer and true/false: the one correct
 * option. Multiple-answer: all or nothing (exactly the correct set), so
 * ticking every box never earns anything.
 */
export function scoreAnswer(question: ScorableQuestion, selected: readonly string[] | undefined): number {
  if (!selected || selected.length === 0) return 0;
  const correct = new Set(question.options.filter((o) => o.correct).map((o) => o.id));
  const chosen = new Set(selected);
  if (question.type !== 'multiple' && chosen.size !== 1) return 0;
  if (chosen.size !== correct.size) return 0;
  for (const id of chosen) if (!correct.has(id)) return 0;
  return question.points;
}

export interface AttemptScore {
  score: number;
  maxScore: number;
  /** 0-100, one decimal. */
  percent: number;
  /** Question id -> answered fully right. */
  correct: Record<string, boolean>;
}

export function scoreAttempt(
  questions: readonly ScorableQuestion[],
  answers: ReadonlyMap<string, readonly string[]>,
): AttemptScore {
  let score = 0;
  let maxScore = 0;
  const correct: Record<string, boolean> = {};
  for (const q of questions) {
    const earned = scoreAnswer(q, answers.get(q.id));
    score += earned;
    maxScore += q.points;
    correct[q.id] = earned > 0 && earned === q.points;
  }
  return { score, maxScore, percent: maxScore > 0 ? Math.round((score / maxScore) * 1000) / 10 : 0, correct };
}

/** Problems with a question as written (empty when it can be used). */
export function questionProblems(q: {
  type: QuestionType;
  points: number;
  options: ReadonlyArray<{ text: string; correct: boolean }>;
}): string[] {
  const problems: string[] = [];
  const right = q.options.filter((o) => o.correct).length;
  if (q.type === 'truefalse' && q.options.length !== 2) problems.push('TRUEFALSE_NEEDS_TWO_OPTIONS');
  if (q.type !== 'truefalse' && q.options.length < 2) problems.push('NEEDS_TWO_OPTIONS');
  if (q.type === 'multiple' ? right < 1 : right !== 1)
    problems.push(q.type === 'multiple' ? 'NEEDS_A_CORRECT_OPTION' : 'NEEDS_EXACTLY_ONE_CORRECT_OPTION');
  if (new Set(q.options.map((o) => o.text.trim().toLowerCase())).size !== q.options.length)
    problems.push('DUPLICATE_OPTIONS');
  if (!(q.points > 0)) problems.push('POINTS_MUST_BE_POSITIVE');
  return problems;
}

export interface TestWindowInput {
  kind: TestKind;
  /** Non-cancelled sessions of the course, each over the time it was held. */
  sessions: ReadonlyArray<{ startsAt: Date; endsAt: Date }>;
  /** Post-test: when the trainer opened it early (or null). */
  openedAt?: Date | null;
  /** Post-test: days it stays open after it opens. */
  openDays?: number;
}

export interface TestWindow {
  /** Null for the pre-test: open from enrolment. */
  opensAt: Date | null;
  /** Null while not known (no sessions yet). */
  closesAt: Date | null;
}

/**
 * Pre-test: from enrolment until the first session starts. Post-test: from the
 * last session's end (or the trainer's opening, if earlier) for `openDays`.
 */
export function testWindow(input: TestWindowInput): TestWindow {
  const sessions = [...input.sessions].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  if (input.kind === 'pre') return { opensAt: null, closesAt: sessions[0]?.startsAt ?? null };
  const lastEnd = sessions.length ? new Date(Math.max(...sessions.map((s) => s.endsAt.getTime()))) : null;
  const candidates = [lastEnd, input.openedAt ?? null].filter((d): d is Date => d instanceof Date);
  if (!candidates.length) return { opensAt: null, closesAt: null };
  const opensAt = new Date(Math.min(...candidates.map((d) => d.getTime())));
  const days = input.openDays ?? DEFAULT_POST_TEST_OPEN_DAYS;
  return { opensAt, closesAt: new Date(opensAt.getTime() + days * 24 * 3600_000) };
}

export type TestPhase = 'not_open' | 'open' | 'closed';

export function testPhase(kind: TestKind, window: TestWindow, now: Date): TestPhase {
  if (kind === 'post' && (!window.opensAt || window.opensAt.getTime() > now.getTime())) return 'not_open';
  if (window.closesAt && window.closesAt.getTime() <= now.getTime()) return 'closed';
  return 'open';
}

/** An attempt's deadline: its time limit, cut by the test's close. */
export function attemptDeadline(startedAt: Date, timeLimitMinutes: number, window: TestWindow): Date {
  const byLimit = startedAt.getTime() + timeLimitMinutes * 60_000;
  return new Date(window.closesAt ? Math.min(byLimit, window.closesAt.getTime()) : byLimit);
}

/** Deterministic Fisher-Yates from a string seed (an attempt id), so a resumed attempt shows the same order. */
export function seededShuffle<T>(items: readonly T[], seed: string): T[] {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i += 1) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  let state = h >>> 0;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Improvement in percentage points. */
export function gain(pre: number, post: number): number {
  return Math.round((post - pre) * 10) / 10;
}

/** Hake's normalised gain (post - pre) / (100 - pre); null when the pre-test was already perfect. */
export function normalizedGain(pre: number, post: number): number | null {
  if (pre >= 100) return null;
  return Math.round(((post - pre) / (100 - pre)) * 1000) / 1000;
}

export interface GainSummary {
  /** Participants with both a pre-test and a post-test. */
  participants: number;
  averagePre: number | null;
  averagePost: number | null;
  averageGain: number | null;
  /** Class normalised gain from the averages, <g> = (post - pre) / (100 - pre). */
  normalizedGain: number | null;
}

export function summarizeGain(pairs: ReadonlyArray<{ pre: number | null; post: number | null }>): GainSummary {
  const both = pairs.filter((p): p is { pre: number; post: number } => p.pre !== null && p.post !== null);
  if (!both.length)
    return { participants: 0, averagePre: null, averagePost: null, averageGain: null, normalizedGain: null };
  const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10;
  const averagePre = mean(both.map((p) => p.pre));
  const averagePost = mean(both.map((p) => p.post));
  return {
    participants: both.length,
    averagePre,
    averagePost,
    averageGain: gain(averagePre, averagePost),
    normalizedGain: normalizedGain(averagePre, averagePost),
  };
}

/** Optional certificate conditions beyond attendance, set per course. */
export interface AssessmentRules {
  /** Post-test score (best attempt, percent) at or above this; null or undefined: not required. */
  minPostTestPercent?: number | null;
  /** The evaluation survey must be submitted. */
  requireEvaluation?: boolean | null;
}

export interface AssessmentFacts {
  /** Best submitted post-test attempt, percent; null: none submitted. */
  postTestPercent: number | null;
  evaluationSubmitted: boolean;
}

export const ASSESSMENT_REASONS = ['POST_TEST_MISSING', 'POST_TEST_BELOW_MINIMUM', 'EVALUATION_MISSING'] as const;
export type AssessmentReason = (typeof ASSESSMENT_REASONS)[number];

/** Every unmet assessment condition, in the order a participant should act on them. */
export function assessmentRequirements(
  rules: AssessmentRules | null | undefined,
  facts: AssessmentFacts,
): AssessmentReason[] {
  const missing: AssessmentReason[] = [];
  const min = rules?.minPostTestPercent;
  if (typeof min === 'number') {
    if (facts.postTestPercent === null) missing.push('POST_TEST_MISSING');
    else if (facts.postTestPercent < min) missing.push('POST_TEST_BELOW_MINIMUM');
  }
  if (rules?.requireEvaluation === true && !facts.evaluationSubmitted) missing.push('EVALUATION_MISSING');
  return missing;
}

export const EVALUATION_CATEGORIES = ['material', 'trainer', 'organisation', 'facilities'] as const;
export type EvaluationCategory = (typeof EVALUATION_CATEGORIES)[number];

export interface EvaluationItemTemplate {
  id: string;
  category: EvaluationCategory;
  text: string;
}

/** The default "evaluasi penyelenggaraan" form (Likert 1-5 each), editable per course. */
export const DEFAULT_EVALUATION_ITEMS: readonly EvaluationItemTemplate[] = [
  { id: 'material-relevance', category: 'material', text: 'Materi sesuai dengan kebutuhan usaha saya' },
  { id: 'material-clarity', category: 'material', text: 'Materi disampaikan secara runtut dan mudah dipahami' },
  { id: 'trainer-mastery', category: 'trainer', text: 'Pelatih menguasai materi' },
  {
    id: 'trainer-interaction',
    category: 'trainer',
    text: 'Pelatih memberi kesempatan bertanya dan menjawab dengan jelas',
  },
  { id: 'organisation-schedule', category: 'organisation', text: 'Jadwal dan waktu pelaksanaan tepat' },
  {
    id: 'organisation-information',
    category: 'organisation',
    text: 'Informasi kegiatan disampaikan dengan baik oleh panitia',
  },
  { id: 'facilities-platform', category: 'facilities', text: 'Aplikasi/ruang kelas daring mudah digunakan' },
  { id: 'facilities-connection', category: 'facilities', text: 'Kualitas suara dan gambar selama sesi baik' },
];
