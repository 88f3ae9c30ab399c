import { Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import { NotificationProducer } from '../notifications/notification.producer';
import { CourseRepository } from '../courses/course.repository';
import { EnrollmentRepository } from './enrollment.repository';

/**
 * Moves seats to the waitlist in `seq` order. Callers hold the course's lock
 * (RedisMutex `course:<id>`); every step is also a conditional single-document
 * update, so on real MongoDB two promoters could not give one seat twice.
 * Never takes the lock itself (callers already hold it).
 */
@Injectable()
export class WaitlistService {
  constructor(
    private readonly courses: CourseRepository,
    private readonly enrollments: EnrollmentRepository,
    private readonly notifications: NotificationProducer,
  ) {}

  /**
   * A seated participant left: hand the seat straight to the first in line
   * (the seat count does not change), or give it back to the course if nobody waits.
   */
  async handOverSeat(courseId: Types.ObjectId): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const next = await this.enrollments.firstWaitlisted(courseId);
      if (!next) {
        await this.courses.releaseSeat(courseId);
        // A waitlisted request may have been inserted meanwhile.
        await this.fillFreeSeats(courseId);
        return;
      }
      const promoted = await this.enrollments.transition(next._id, 'waitlisted', 'enrolled', { promotedAt: new Date() });
      if (promoted) {
        await this.notifications.waitlistPromoted(String(courseId), String(promoted.userId));
        return;
      }
    }
    await this.courses.releaseSeat(courseId);
  }

  /** Seats are free (capacity grew, or a race freed one): promote from the waitlist while both exist. */
  async fillFreeSeats(courseId: Types.ObjectId): Promise<void> {
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const course = await this.courses.findById(courseId);
      if (!course || course.seatsTaken >= course.capacity) return;
      const next = await this.enrollments.firstWaitlisted(courseId);
      if (!next) return;
      const seat = await this.courses.takeSeatForPromotion(courseId, course.capacity);
      if (!seat) continue;
      const promoted = await this.enrollments.transition(next._id, 'waitlisted', 'enrolled', { promotedAt: new Date() });
      if (promoted) await this.notifications.waitlistPromoted(String(courseId), String(promoted.userId));
      else await this.courses.releaseSeat(courseId);
    }
  }
}
