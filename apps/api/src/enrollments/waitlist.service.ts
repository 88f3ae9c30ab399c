import { Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import { NotificationProducer } from '@balai/queue';
import { EnrollmentRepository } from './enrollment.repository';
import { SeatCounter } from './seat-counter';

/**
 * Moves seats to the waitlist in `seq` order. Callers hold the course's lock
 * (RedisMutex `course:<id>`), so two promotions never pick the same person;
 * seats themselves are counted atomically by SeatCounter. Never takes the
 * lock itself.
 */
@Injectable()
export class WaitlistService {
  constructor(
    private readonly seats: SeatCounter,
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
      if (!next) break;
      const promoted = await this.enrollments.transition(next._id, 'waitlisted', 'enrolled', {
        promotedAt: new Date(),
      });
      if (promoted) {
        await this.notifications.waitlistPromoted(String(courseId), String(promoted.userId));
        return;
      }
    }
    await this.seats.release(courseId);
    // A waitlisted enrolment may have been written meanwhile.
    await this.fillFreeSeats(courseId);
  }

  /** Seats are free (capacity grew, or a race freed one): promote from the waitlist while both exist. */
  async fillFreeSeats(courseId: Types.ObjectId): Promise<void> {
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const next = await this.enrollments.firstWaitlisted(courseId);
      if (!next) return;
      if (!(await this.seats.takeSeat(courseId))) return;
      const promoted = await this.enrollments.transition(next._id, 'waitlisted', 'enrolled', {
        promotedAt: new Date(),
      });
      if (promoted) await this.notifications.waitlistPromoted(String(courseId), String(promoted.userId));
      else await this.seats.release(courseId);
    }
  }
}
