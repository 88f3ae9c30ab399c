/** Small helpers the admin screens share. */
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

/** Every lifecycle step the API accepts for this course now (`allowedTransitions`, decided by the server). */
export function lifecycleActions(allowed: CourseStatus[]): Array<{ to: CourseStatus; label: Key }> {
  return allowed.map((to) => ({ to, label: ACTION[to] }));
}
