import { Global, Module } from '@nestjs/common';
import { CourseAccess } from './courses/course-access';
import { CourseRepository } from './courses/course.repository';
import { EnrollmentRepository } from './enrollments/enrollment.repository';
import { WaitlistService } from './enrollments/waitlist.service';
import { SessionRepository } from './sessions/session.repository';
import { AdmissionNotifier } from './common/admission-notifier';
import { RedisMutex } from './common/redis-mutex';
import { SeatCounter } from './enrollments/seat-counter';

/**
 * Repositories and cross-feature policies shared by the API's feature modules.
 * Providing them once here keeps feature modules free of import cycles
 * (courses need sessions, sessions need courses, both need enrolments).
 */
@Global()
@Module({
  providers: [
    CourseRepository,
    SessionRepository,
    EnrollmentRepository,
    CourseAccess,
    WaitlistService,
    RedisMutex,
    SeatCounter,
    AdmissionNotifier,
  ],
  exports: [
    CourseRepository,
    SessionRepository,
    EnrollmentRepository,
    CourseAccess,
    WaitlistService,
    RedisMutex,
    SeatCounter,
    AdmissionNotifier,
  ],
})
export class PersistenceModule {}
