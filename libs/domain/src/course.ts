export const COURSE_TYPES = ['pelatihan', 'sosialisasi'] as const;
export type CourseType = (typeof COURSE_TYPES)[number];

export const COURSE_STATUSES = ['draft', 'published', 'ongoing', 'completed', 'cancelled'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

/**
 * Allowed status transitions: draft -> published -> ongoing -> completed, or
 * cancelled. A published course whose sessions are all over may be marked
 * completed directly (nobody set it ongoing); see `allowedCourseTransitions`.
 */
export const COURSE_TRANSITIONS: Record<CourseStatus, CourseStatus[]> = {
  draft: ['published', 'cancelled'],
  published: ['ongoing', 'completed', 'cancelled', 'draft'],
  ongoing: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export const SESSION_STATUSES = ['scheduled', 'live', 'ended', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const ENROLLMENT_STATUSES = ['enrolled', 'waitlisted', 'cancelled', 'removed'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

export const DEFAULT_MIN_ATTENDANCE_PERCENT = 80;
