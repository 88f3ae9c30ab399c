import { allowedCourseTransitions, certificateRules, CourseStatus, courseSchedule, SchedulePhase } from '@balai/domain';
import { SessionRecord, sessionTimes } from '../sessions/session.repository';
import { toJakarta } from '../common/time';
import type { UserRecord } from '../users/user.repository';
import type { CourseResponseDto } from './dto/course.dto';
import type { CourseRecord } from './course.repository';

/** Statuses whose courses the public sees and participants may enrol in (inside the registration window). */
export const PUBLIC_STATUSES: CourseStatus[] = ['published', 'ongoing'];

/**
 * True when a participant may enrol now: a published/ongoing course inside its
 * registration window whose sessions are not all over.
 */
export function enrollmentOpen(course: CourseRecord, phase: SchedulePhase, now: Date): boolean {
  return (
    PUBLIC_STATUSES.includes(course.status) &&
    course.registrationOpensAt.getTime() <= now.getTime() &&
    course.registrationClosesAt.getTime() >= now.getTime() &&
    phase !== 'over'
  );
}

/** `sessions`: the course's sessions (any order; cancelled ones are ignored), for its schedule and next session. */
export function toCourseResponse(
  course: CourseRecord,
  trainersById: Map<string, UserRecord>,
  sessions: SessionRecord[],
  now = new Date(),
): CourseResponseDto {
  const schedule = courseSchedule(sessions.map(sessionTimes), now);
  const next = schedule.next;
  return {
    id: String(course._id),
    code: course.code,
    title: course.title,
    description: course.description ?? '',
    category: course.category,
    type: course.type,
    status: course.status,
    trainers: course.trainerIds.map((id) => ({ id: String(id), name: trainersById.get(String(id))?.name ?? '' })),
    capacity: course.capacity,
    seatsTaken: course.seatsTaken,
    seatsLeft: Math.max(0, course.capacity - course.seatsTaken),
    registrationOpensAt: course.registrationOpensAt.toISOString(),
    registrationClosesAt: course.registrationClosesAt.toISOString(),
    registrationOpensAtLocal: toJakarta(course.registrationOpensAt)!,
    registrationClosesAtLocal: toJakarta(course.registrationClosesAt)!,
    lessonHours: course.lessonHours,
    certificate: certificateRules(course.certificate),
    location: course.location,
    autoRecord: course.autoRecord === true,
    startsAt: course.startsAt ? course.startsAt.toISOString() : null,
    endsAt: course.endsAt ? course.endsAt.toISOString() : null,
    nextSessionAt: next ? next.startsAt.toISOString() : null,
    nextSession: next
      ? {
          id: next.id,
          title: next.title ?? '',
          startsAt: next.startsAt.toISOString(),
          endsAt: next.endsAt.toISOString(),
          startsAtLocal: toJakarta(next.startsAt)!,
          status: next.status ?? 'scheduled',
        }
      : null,
    schedulePhase: schedule.phase,
    enrollmentOpen: enrollmentOpen(course, schedule.phase, now),
    allowedTransitions: allowedCourseTransitions(course.status, schedule.phase),
    createdAt: course.createdAt.toISOString(),
  };
}
