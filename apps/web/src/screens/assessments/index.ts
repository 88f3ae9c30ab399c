/** Pre-test, post-test and evaluation screens (issue 11), loaded on demand. */
export { TakeTest } from './take-test';
export { EvaluationScreen } from './evaluation';
export { AssessmentPanel } from './participant-panel';
export { AssessmentStaffPanel } from './staff-panel';
