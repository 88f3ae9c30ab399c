/** Small helpers the admin screens share. */
import { COURSE_TRANSITIONS } from '@balai/domain';
import type { CourseStatus } from '../../api/client';
import type { Key } from '../../i18n';

export type Msg = { kind: 'error' | 'success' | 'info' | 'warn'; text: string } | null;

/** Short stays (a reconnect, a demo) still show: one decimal under 10 minutes. */
export const minutes = (m: number) => (m < 10 ? m.toFixed(1).replace('.', ',') : String(Math.round(m)));

/** The label of the button that moves a course to `to`. */
const ACTION: Record<CourseStatus, Key> = {
  draft: 'backToDraft',
  published: 'publish',
  ongoing: 'markOngoing',
  completed: 'markCompleted',
  cancelled: 'cancelCourse',
};

/** Every lifecycle step the API allows from `from` (one rule: COURSE_TRANSITIONS in @balai/domain). */
export function lifecycleActions(from: CourseStatus): Array<{ to: CourseStatus; label: Key }> {
  return COURSE_TRANSITIONS[from].map((to) => ({ to, label: ACTION[to] }));
}
