import {
  assessmentRequirements,
  attemptDeadline,
  normalizedGain,
  questionProblems,
  scoreAnswer,
  scoreAttempt,
  seededShuffle,
  summarizeGain,
  testPhase,
  testWindow,
} from './assessment';
import { attendanceVerdict, certificateRules } from './certificate-rules';

const single = {
  id: 'q1',
  type: 'single' as const,
  points: 2,
  options: [
    { id: 'a', correct: false },
    { id: 'b', correct: true },
    { id: 'c', correct: false },
  ],
};
const multiple = {
  id: 'q2',
  type: 'multiple' as const,
  points: 3,
  options: [
    { id: 'a', correct: true },
    { id: 'b', correct: true },
    { id: 'c', correct: false },
  ],
};
const trueFalse = {
  id: 'q3',
  type: 'truefalse' as const,
  points: 1,
  options: [
    { id: 't', correct: true },
    { id: 'f', correct: false },
  ],
};
const H = 3600_000;

describe('assessment rules', () => {
  it('single-answer and true/false score only the one correct option', () => {
    expect(scoreAnswer(single, ['b'])).toBe(2);
    expect(scoreAnswer(single, ['a'])).toBe(0);
    expect(scoreAnswer(single, ['a', 'b'])).toBe(0);
    expect(scoreAnswer(trueFalse, ['t'])).toBe(1);
    expect(scoreAnswer(trueFalse, [])).toBe(0);
  });

  it('multiple-answer is all or nothing: exactly the correct set', () => {
    expect(scoreAnswer(multiple, ['b', 'a'])).toBe(3);
    expect(scoreAnswer(multiple, ['a'])).toBe(0);
    expect(scoreAnswer(multiple, ['a', 'b', 'c'])).toBe(0);
  });

  it('an attempt sums points and reports a percent', () => {
    const sut = scoreAttempt(
      [single, multiple, trueFalse],
      new Map([
        ['q1', ['b']],
        ['q3', ['f']],
      ]),
    );
    expect(sut).toEqual({ score: 2, maxScore: 6, percent: 33.3, correct: { q1: true, q2: false, q3: false } });
  });

  it('flags questions that cannot be scored', () => {
    expect(
      questionProblems({
        type: 'single',
        points: 1,
        options: [
          { text: 'a', correct: true },
          { text: 'b', correct: true },
        ],
      }),
    ).toContain('NEEDS_EXACTLY_ONE_CORRECT_OPTION');
    expect(questionProblems({ type: 'truefalse', points: 1, options: [{ text: 'Benar', correct: true }] })).toContain(
      'TRUEFALSE_NEEDS_TWO_OPTIONS',
    );
    expect(
      questionProblems({
        type: 'multiple',
        points: 1,
        options: [
          { text: 'a', correct: true },
          { text: 'b', correct: false },
        ],
      }),
    ).toEqual([]);
  });

  it('pre-test closes at the first session start; post-test opens at the last end (or the trainer) for N days', () => {
    const t0 = new Date('2026-12-01T02:00:00Z');
    const sessions = [
      { startsAt: new Date(t0.getTime() + 24 * H), endsAt: new Date(t0.getTime() + 26 * H) },
      { startsAt: t0, endsAt: new Date(t0.getTime() + 2 * H) },
    ];
    expect(testWindow({ kind: 'pre', sessions })).toEqual({ opensAt: null, closesAt: t0 });
    const post = testWindow({ kind: 'post', sessions, openDays: 2 });
    expect(post).toEqual({ opensAt: new Date(t0.getTime() + 26 * H), closesAt: new Date(t0.getTime() + 74 * H) });
    const early = testWindow({ kind: 'post', sessions, openDays: 2, openedAt: new Date(t0.getTime() + 25 * H) });
    expect(early.opensAt).toEqual(new Date(t0.getTime() + 25 * H));
    expect(testPhase('post', post, new Date(t0.getTime() + 25 * H))).toBe('not_open');
    expect(testPhase('post', post, new Date(t0.getTime() + 27 * H))).toBe('open');
    expect(testPhase('post', post, new Date(t0.getTime() + 80 * H))).toBe('closed');
    expect(testPhase('pre', testWindow({ kind: 'pre', sessions: [] }), t0)).toBe('open');
  });

  it('an attempt deadline is its time limit, cut by the close', () => {
    const start = new Date('2026-12-01T02:00:00Z');
    expect(attemptDeadline(start, 20, { opensAt: null, closesAt: null })).toEqual(
      new Date(start.getTime() + 20 * 60_000),
    );
    expect(attemptDeadline(start, 20, { opensAt: null, closesAt: new Date(start.getTime() + 60_000) })).toEqual(
      new Date(start.getTime() + 60_000),
    );
  });

  it('shuffles deterministically per seed and keeps every item', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const a = seededShuffle(items, 'attempt-1');
    expect(seededShuffle(items, 'attempt-1')).toEqual(a);
    expect(seededShuffle(items, 'attempt-2')).not.toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(items);
  });

  it('normalised gain (Hake), undefined for a perfect pre-test', () => {
    expect(normalizedGain(40, 70)).toBe(0.5);
    expect(normalizedGain(100, 100)).toBeNull();
    expect(
      summarizeGain([
        { pre: 40, post: 70 },
        { pre: 60, post: 80 },
        { pre: null, post: 90 },
      ]),
    ).toEqual({
      participants: 2,
      averagePre: 50,
      averagePost: 75,
      averageGain: 25,
      normalizedGain: 0.5,
    });
  });

  it('lists what is missing for a certificate', () => {
    const rules = { minPostTestPercent: 70, requireEvaluation: true };
    expect(assessmentRequirements(rules, { postTestPercent: null, evaluationSubmitted: false })).toEqual([
      'POST_TEST_MISSING',
      'EVALUATION_MISSING',
    ]);
    expect(assessmentRequirements(rules, { postTestPercent: 69.9, evaluationSubmitted: true })).toEqual([
      'POST_TEST_BELOW_MINIMUM',
    ]);
    expect(assessmentRequirements(rules, { postTestPercent: 70, evaluationSubmitted: true })).toEqual([]);
    expect(assessmentRequirements(null, { postTestPercent: null, evaluationSubmitted: false })).toEqual([]);
  });

  it('the certificate verdict counts the optional post-test minimum and evaluation after attendance', () => {
    const rules = certificateRules({ minAttendancePercent: 80 });
    const sessions = [{ id: 's', startsAt: new Date(0), endsAt: new Date(3600_000) }];
    const verdict = (
      percent: number,
      post: number | null,
      evaluationSubmitted: boolean,
      minPostTestPercent: number | null,
      requireEvaluation: boolean,
    ) =>
      attendanceVerdict({
        rules,
        sessions,
        attendance: { percent, scheduledMinutes: 60 },
        enrolled: true,
        assessment: {
          rules: { minPostTestPercent, requireEvaluation },
          facts: { postTestPercent: post, evaluationSubmitted },
        },
      });
    expect(verdict(90, null, false, null, false)).toEqual({ eligible: true });
    expect(verdict(90, 60, true, 70, true)).toEqual({ eligible: false, reason: 'POST_TEST_BELOW_MINIMUM' });
    expect(verdict(50, null, false, 70, true)).toEqual({
      eligible: false,
      reason: 'BELOW_THRESHOLD',
      reasons: ['BELOW_THRESHOLD', 'POST_TEST_MISSING', 'EVALUATION_MISSING'],
    });
    expect(verdict(90, 70, false, 70, true)).toEqual({ eligible: false, reason: 'EVALUATION_MISSING' });
    expect(verdict(90, 70, true, 70, true)).toEqual({ eligible: true });
    // Without the option, nothing changes for existing callers.
    expect(
      attendanceVerdict({ rules, sessions, attendance: { percent: 90, scheduledMinutes: 60 }, enrolled: true }),
    ).toEqual({ eligible: true });
  });
});
