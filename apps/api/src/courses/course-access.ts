import { Injectable } from '@nestjs/common';
import type { AuthUser } from '@balai/common';
import { forbidden, notFound } from '../common/errors';
import { EnrollmentRepository } from '../enrollments/enrollment.repository';
import { CourseRecord, CourseRepository } from './course.repository';

const COURSE_NOT_FOUND = { id: 'Pelatihan tidak ditemukan.', en: 'Course not found.' };

/**
 * The one place that decides who may see or run a course, so no handler can
 * forget it: admins everything; trainers the courses they teach; participants
 * only courses they are enrolled in (or waitlisted for).
 */
@Injectable()
export class CourseAccess {
  constructor(
    private readonly courses: CourseRepository,
    private readonly enrollments: EnrollmentRepository,
  ) {}

  async load(courseId: string): Promise<CourseRecord> {
    const course = await this.courses.findById(courseId);
    if (!course) throw notFound(COURSE_NOT_FOUND);
    return course;
  }

  isTrainerOf(actor: AuthUser, course: CourseRecord): boolean {
    return actor.role === 'trainer' && course.trainerIds.some((id) => String(id) === actor.id);
  }

  /** Admin or one of the course's trainers. */
  async forStaff(actor: AuthUser, courseId: string): Promise<CourseRecord> {
    const course = await this.load(courseId);
    if (actor.role === 'admin' || this.isTrainerOf(actor, course)) return course;
    throw forbidden();
  }

  /** Staff of the course, or a participant with an active enrolment (enrolled only when `seatedOnly`). */
  async forMember(actor: AuthUser, courseId: string, seatedOnly = false): Promise<CourseRecord> {
    const course = await this.load(courseId);
    if (actor.role === 'admin' || this.isTrainerOf(actor, course)) return course;
    if (actor.role === 'participant') {
      const enrollment = await this.enrollments.findOne(course._id, actor.id);
      const ok =
        enrollment && (enrollment.status === 'enrolled' || (!seatedOnly && enrollment.status === 'waitlisted'));
      if (ok) return course;
    }
    throw forbidden();
  }
}
