import { certificateRules } from '@balai/domain';
import { toJakarta } from '../common/time';
import type { UserRecord } from '../users/user.repository';
import type { CourseResponseDto } from './dto/course.dto';
import type { CourseRecord } from './course.repository';

export function toCourseResponse(course: CourseRecord, trainersById: Map<string, UserRecord>): CourseResponseDto {
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
    startsAt: course.startsAt ? course.startsAt.toISOString() : null,
    endsAt: course.endsAt ? course.endsAt.toISOString() : null,
    createdAt: course.createdAt.toISOString(),
  };
}
