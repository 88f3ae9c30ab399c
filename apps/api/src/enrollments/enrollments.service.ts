import { HttpStatus, Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import { AppException, AuthUser } from '@balai/common';
import { conflict, isDuplicateKey, notFound } from '../common/errors';
import { courseSchedule } from '@balai/domain';
import { CourseAccess } from '../courses/course-access';
import { enrollmentOpen } from '../courses/course.mapper';
import { sessionTimes, SessionRepository } from '../sessions/session.repository';
import { CourseRecord, CourseRepository } from '../courses/course.repository';
import { UserRepository } from '../users/user.repository';
import { EnrollmentResponseDto, MyEnrollmentDto, RosterDto, RosterEntryDto } from './dto/enrollment.dto';
import { EnrollmentRecord, EnrollmentRepository } from './enrollment.repository';
import { WaitlistService } from './waitlist.service';
import { RedisMutex } from '../common/redis-mutex';
import { SeatCounter } from './seat-counter';

const ALREADY = {
  id: 'Anda sudah terdaftar (atau dalam daftar tunggu) di pelatihan ini.',
  en: 'You are already enrolled (or waitlisted) in this course.',
};
const CLOSED = {
  id: 'Pendaftaran pelatihan ini belum dibuka atau sudah ditutup.',
  en: 'Registration for this course is not open.',
};
const OVER = {
  id: 'Semua sesi pelatihan ini sudah berakhir; pendaftaran ditutup.',
  en: 'Every session of this course is over; registration is closed.',
};

function toEnrollmentResponse(e: EnrollmentRecord, waitlistPosition?: number): EnrollmentResponseDto {
  const out: EnrollmentResponseDto = {
    id: String(e._id),
    courseId: String(e.courseId),
    userId: String(e.userId),
    status: e.status,
    seq: e.seq,
    createdAt: e.createdAt.toISOString(),
  };
  if (e.promotedAt) out.promotedAt = e.promotedAt.toISOString();
  if (waitlistPosition !== undefined) out.waitlistPosition = waitlistPosition;
  return out;
}

@Injectable()
export class EnrollmentsService {
  constructor(
    private readonly courses: CourseRepository,
    private readonly enrollments: EnrollmentRepository,
    private readonly users: UserRepository,
    private readonly access: CourseAccess,
    private readonly waitlist: WaitlistService,
    private readonly mutex: RedisMutex,
    private readonly seats: SeatCounter,
    private readonly sessions: SessionRepository,
  ) {}

  /** A participant enrols themselves: published/ongoing course, inside the registration window. */
  async enrolSelf(actor: AuthUser, courseId: string): Promise<EnrollmentResponseDto> {
    const course = await this.access.load(courseId);
    const now = new Date();
    const phase = courseSchedule((await this.sessions.byCourse(course._id, false)).map(sessionTimes), now).phase;
    if (!enrollmentOpen(course, phase, now)) throw conflict('REGISTRATION_CLOSED', phase === 'over' ? OVER : CLOSED);
    return this.withSeats(await this.enrol(course, actor.id));
  }

  /** Admins enrol anyone into a course that is not finished, regardless of the window (capacity still holds). */
  async enrolByAdmin(courseId: string, userId: string): Promise<EnrollmentResponseDto> {
    const course = await this.access.load(courseId);
    const user = await this.users.findById(userId);
    if (!user || user.role !== 'participant')
      throw notFound({ id: 'Peserta tidak ditemukan.', en: 'Participant not found.' });
    if (course.status === 'completed' || course.status === 'cancelled') {
      throw conflict('COURSE_CLOSED', {
        id: 'Pelatihan sudah selesai atau dibatalkan.',
        en: 'The course is completed or cancelled.',
      });
    }
    return this.withSeats(await this.enrol(course, userId));
  }

  /** The seats right after a change, from the counters (the course document follows within a moment). */
  private async withSeats(e: EnrollmentResponseDto): Promise<EnrollmentResponseDto> {
    const s = await this.seats.state(new Types.ObjectId(e.courseId));
    return {
      ...e,
      seats: { capacity: s.capacity, seatsTaken: s.seatsTaken, seatsLeft: Math.max(0, s.capacity - s.seatsTaken) },
    };
  }

  /**
   * The seat and the place in line come from one atomic Redis script
   * (SeatCounter.claim): seated while seats last, otherwise waitlisted, so the
   * seated requests always hold smaller seq numbers than those waitlisted
   * after them. No lock and no database write sit in that critical step.
   */
  private async enrol(course: CourseRecord, userId: string): Promise<EnrollmentResponseDto> {
    const claim = await this.seats.claim(course._id);
    const status = claim.seated ? 'enrolled' : 'waitlisted';
    let record: EnrollmentRecord | null;
    try {
      // The common case (a first enrolment) needs no read first: the insert itself detects a second one.
      record = await this.enrollments.insert(course._id, new Types.ObjectId(userId), status, claim.seq);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // Re-activating a cancelled or removed enrolment is a guarded update, which FerretDB does not apply
      // atomically under concurrency: one person's re-enrolments are serialised so exactly one wins.
      record = await this.mutex.withLock(`enrollment:${String(course._id)}:${userId}`, async () => {
        const existing = await this.enrollments.findOne(course._id, userId);
        if (!existing || (existing.status !== 'cancelled' && existing.status !== 'removed')) return null;
        return this.enrollments.reactivate(existing._id, existing.status, status, claim.seq);
      });
    }
    if (!record) {
      // Already enrolled or waitlisted (possibly by a concurrent request): give back the seat this request took.
      if (claim.seated) await this.underLock(course._id, () => this.waitlist.handOverSeat(course._id));
      throw conflict('ALREADY_ENROLLED', ALREADY);
    }
    if (!claim.seated) {
      // A seat may have been released (or capacity raised) between the claim and this write.
      const now = await this.seats.state(course._id);
      if (now.seatsTaken < now.capacity) {
        await this.underLock(course._id, () => this.waitlist.fillFreeSeats(course._id));
        record = (await this.enrollments.findOne(course._id, userId)) ?? record;
      }
    }
    return this.withPosition(record);
  }

  private underLock<T>(courseId: Types.ObjectId, work: () => Promise<T>): Promise<T> {
    return this.mutex.withLock(`course:${String(courseId)}`, work);
  }

  async cancelSelf(actor: AuthUser, courseId: string): Promise<EnrollmentResponseDto> {
    const course = await this.access.load(courseId);
    return this.withSeats(await this.leave(course._id, actor.id, 'cancelled'));
  }

  async removeByAdmin(courseId: string, userId: string): Promise<EnrollmentResponseDto> {
    const course = await this.access.load(courseId);
    return this.withSeats(await this.leave(course._id, userId, 'removed'));
  }

  private leave(courseId: Types.ObjectId, userId: string, to: 'cancelled' | 'removed'): Promise<EnrollmentResponseDto> {
    return this.mutex.withLock(`course:${String(courseId)}`, () => this.leaveLocked(courseId, userId, to));
  }

  private async leaveLocked(
    courseId: Types.ObjectId,
    userId: string,
    to: 'cancelled' | 'removed',
  ): Promise<EnrollmentResponseDto> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const e = await this.enrollments.findOne(courseId, userId);
      if (!e || (e.status !== 'enrolled' && e.status !== 'waitlisted')) {
        throw notFound({ id: 'Pendaftaran tidak ditemukan.', en: 'Enrolment not found.' });
      }
      const left = await this.enrollments.transition(e._id, e.status, to, { cancelledAt: new Date() });
      if (!left) continue; // promoted or cancelled meanwhile: look again
      if (e.status === 'enrolled') await this.waitlist.handOverSeat(courseId);
      return toEnrollmentResponse(left);
    }
    throw new AppException(HttpStatus.CONFLICT, 'TRY_AGAIN', { id: 'Silakan coba lagi.', en: 'Please try again.' });
  }

  async mine(actor: AuthUser): Promise<MyEnrollmentDto[]> {
    const list = await this.enrollments.byUser(actor.id, ['enrolled', 'waitlisted', 'cancelled', 'removed']);
    const courses = list.length ? await this.courses.findMany({ ids: list.map((e) => e.courseId) }) : [];
    const byId = new Map(courses.map((c) => [String(c._id), c]));
    const out: MyEnrollmentDto[] = [];
    for (const e of list) {
      const c = byId.get(String(e.courseId));
      if (!c) continue;
      const base = await this.withPosition(e);
      out.push({
        ...base,
        courseTitle: c.title,
        courseCode: c.code,
        courseStatus: c.status,
        courseStartsAt: c.startsAt ? c.startsAt.toISOString() : null,
      });
    }
    return out;
  }

  async mineForCourse(actor: AuthUser, courseId: string): Promise<EnrollmentResponseDto> {
    const course = await this.access.load(courseId);
    const e = await this.enrollments.findOne(course._id, actor.id);
    if (!e)
      throw notFound({ id: 'Anda belum terdaftar di pelatihan ini.', en: 'You are not enrolled in this course.' });
    return this.withPosition(e);
  }

  /** Admin or the course's trainers. */
  async roster(actor: AuthUser, courseId: string): Promise<RosterDto> {
    const course = await this.access.forStaff(actor, courseId);
    const list = await this.enrollments.byCourse(course._id, ['enrolled', 'waitlisted']);
    const users = list.length ? await this.users.findManyByIds(list.map((e) => e.userId)) : [];
    const byId = new Map(users.map((u) => [String(u._id), u]));
    const entry = (e: EnrollmentRecord): RosterEntryDto => {
      const u = byId.get(String(e.userId));
      return {
        enrollmentId: String(e._id),
        userId: String(e.userId),
        name: u?.name ?? '',
        email: u?.email ?? '',
        businessName: u?.ikm?.businessName,
        sector: u?.ikm?.sector,
        kecamatan: u?.ikm?.kecamatan,
        whatsapp: u?.ikm?.whatsapp,
        status: e.status,
        seq: e.seq,
        createdAt: e.createdAt.toISOString(),
      };
    };
    const seats = await this.seats.state(course._id);
    return {
      courseId: String(course._id),
      capacity: seats.capacity,
      seatsTaken: seats.seatsTaken,
      enrolled: list.filter((e) => e.status === 'enrolled').map(entry),
      waitlist: list.filter((e) => e.status === 'waitlisted').map(entry),
    };
  }

  private async withPosition(e: EnrollmentRecord): Promise<EnrollmentResponseDto> {
    if (e.status !== 'waitlisted') return toEnrollmentResponse(e);
    return toEnrollmentResponse(e, await this.enrollments.waitlistPosition(e));
  }
}
