import { HttpStatus, Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import { AppException, AuthUser } from '@balai/common';
import { CourseSession } from '@balai/database';
import { badRequest, conflict, notFound } from '../common/errors';
import { toJakarta } from '../common/time';
import { CourseAccess } from '../courses/course-access';
import { CourseRecord, CourseRepository } from '../courses/course.repository';
import { PUBLIC_STATUSES } from '../courses/course.mapper';
import { NotificationProducer } from '@balai/queue';
import { UserRepository } from '../users/user.repository';
import { CancelSessionDto, CreateSessionDto, SessionResponseDto, UpdateSessionDto } from './dto/session.dto';
import { SessionRecord, SessionRepository } from './session.repository';
import { TrainerScheduleLock } from './trainer-schedule.lock';

const MAX_SESSION_MINUTES = 12 * 60;
const SESSION_NOT_FOUND = { id: 'Sesi tidak ditemukan.', en: 'Session not found.' };

export function toSessionResponse(s: SessionRecord): SessionResponseDto {
  return {
    id: String(s._id),
    courseId: String(s.courseId),
    title: s.title,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    startsAtLocal: toJakarta(s.startsAt)!,
    endsAtLocal: toJakarta(s.endsAt)!,
    trainerIds: s.trainerIds.map(String),
    status: s.status,
  };
}

@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly courses: CourseRepository,
    private readonly users: UserRepository,
    private readonly access: CourseAccess,
    private readonly lock: TrainerScheduleLock,
    private readonly notifications: NotificationProducer,
  ) {}

  async create(courseId: string, dto: CreateSessionDto): Promise<SessionResponseDto> {
    const course = await this.access.load(courseId);
    this.assertOpen(course);
    const { startsAt, endsAt } = this.window(dto.startsAt, dto.endsAt);
    const trainerIds = dto.trainerIds ?? course.trainerIds.map(String);
    await this.assertTrainers(trainerIds);
    const created = await this.lock.withTrainers(trainerIds, async () => {
      await this.assertNoOverlap(trainerIds, startsAt, endsAt);
      return this.sessions.create({
        courseId: course._id,
        title: dto.title,
        startsAt,
        endsAt,
        trainerIds: trainerIds.map((id) => new Types.ObjectId(id)),
      });
    });
    await this.refreshCourseSchedule(course._id);
    await this.notifications.scheduleReminders(String(created._id), created.startsAt);
    return toSessionResponse(created);
  }

  /** Edit or reschedule; a time change moves the reminders and queues a notice to everyone enrolled. */
  async update(id: string, dto: UpdateSessionDto): Promise<SessionResponseDto> {
    const session = await this.load(id);
    if (session.status !== 'scheduled') {
      throw conflict('SESSION_NOT_SCHEDULED', {
        id: 'Hanya sesi terjadwal yang dapat diubah.',
        en: 'Only a scheduled session can be changed.',
      });
    }
    const course = await this.access.load(String(session.courseId));
    this.assertOpen(course);
    const { startsAt, endsAt } = this.window(
      dto.startsAt ?? session.startsAt.toISOString(),
      dto.endsAt ?? session.endsAt.toISOString(),
    );
    const trainerIds = dto.trainerIds ?? session.trainerIds.map(String);
    if (dto.trainerIds) await this.assertTrainers(trainerIds);
    const set: Partial<CourseSession> = { startsAt, endsAt, trainerIds: trainerIds.map((t) => new Types.ObjectId(t)) };
    if (dto.title !== undefined) set.title = dto.title;
    const updated = await this.lock.withTrainers(trainerIds, async () => {
      await this.assertNoOverlap(trainerIds, startsAt, endsAt, session._id);
      return this.sessions.update(session._id, set, {
        status: 'scheduled',
        startsAt: session.startsAt,
        endsAt: session.endsAt,
      });
    });
    if (!updated)
      throw conflict('SESSION_CHANGED', {
        id: 'Sesi baru saja diubah orang lain. Muat ulang.',
        en: 'The session was just changed by someone else. Reload.',
      });
    const moved =
      updated.startsAt.getTime() !== session.startsAt.getTime() ||
      updated.endsAt.getTime() !== session.endsAt.getTime();
    if (moved) {
      await this.refreshCourseSchedule(course._id);
      await this.notifications.scheduleReminders(String(updated._id), updated.startsAt);
      await this.notifications.sessionRescheduled({
        sessionId: String(updated._id),
        courseId: String(course._id),
        previousStartsAt: session.startsAt.toISOString(),
        reason: dto.reason,
      });
    }
    return toSessionResponse(updated);
  }

  async cancel(id: string, dto: CancelSessionDto): Promise<SessionResponseDto> {
    const session = await this.load(id);
    const cancelled = await this.sessions.update(session._id, { status: 'cancelled' }, { status: 'scheduled' });
    if (!cancelled) {
      throw conflict('SESSION_NOT_SCHEDULED', {
        id: 'Hanya sesi terjadwal yang dapat dibatalkan.',
        en: 'Only a scheduled session can be cancelled.',
      });
    }
    await this.refreshCourseSchedule(session.courseId);
    await this.notifications.removeReminders(id);
    await this.notifications.sessionCancelled({
      sessionId: id,
      courseId: String(session.courseId),
      reason: dto.reason,
    });
    return toSessionResponse(cancelled);
  }

  /** Course members see every session; anyone signed in sees those of a published/ongoing course. */
  async listForMember(actor: AuthUser, courseId: string): Promise<SessionResponseDto[]> {
    const course = await this.access.forMember(actor, courseId).catch(async (error: unknown) => {
      const loaded = await this.access.load(courseId);
      if (PUBLIC_STATUSES.includes(loaded.status)) return loaded;
      throw error;
    });
    return (await this.sessions.byCourse(course._id)).map(toSessionResponse);
  }

  async listPublic(courseId: string): Promise<SessionResponseDto[]> {
    const course = await this.access.load(courseId);
    if (!PUBLIC_STATUSES.includes(course.status))
      throw notFound({ id: 'Pelatihan tidak ditemukan.', en: 'Course not found.' });
    return (await this.sessions.byCourse(course._id, false)).map(toSessionResponse);
  }

  async get(actor: AuthUser, id: string): Promise<SessionResponseDto> {
    const session = await this.load(id);
    await this.access.forMember(actor, String(session.courseId));
    return toSessionResponse(session);
  }

  async load(id: string): Promise<SessionRecord> {
    const session = await this.sessions.findById(id);
    if (!session) throw notFound(SESSION_NOT_FOUND);
    return session;
  }

  private assertOpen(course: CourseRecord): void {
    if (course.status === 'completed' || course.status === 'cancelled') {
      throw conflict('COURSE_CLOSED', {
        id: 'Pelatihan sudah selesai atau dibatalkan.',
        en: 'The course is completed or cancelled.',
      });
    }
  }

  private window(start: string, end: string): { startsAt: Date; endsAt: Date } {
    const startsAt = new Date(start);
    const endsAt = new Date(end);
    const minutes = (endsAt.getTime() - startsAt.getTime()) / 60_000;
    if (minutes <= 0 || minutes > MAX_SESSION_MINUTES) {
      throw badRequest(
        'INVALID_SESSION_TIME',
        {
          id: 'Sesi harus berakhir setelah dimulai dan paling lama 12 jam.',
          en: 'A session must end after it starts and last at most 12 hours.',
        },
        { endsAt: ['endsAt must be after startsAt, at most 12 hours later'] },
      );
    }
    return { startsAt, endsAt };
  }

  private async assertTrainers(ids: string[]): Promise<void> {
    if (ids.length && (await this.users.countByIdsAndRole(ids, 'trainer')) !== ids.length) {
      throw badRequest('UNKNOWN_TRAINER', {
        id: 'Pelatih tidak ditemukan atau bukan pelatih aktif.',
        en: 'A trainer id is unknown or not an active trainer.',
      });
    }
  }

  private async assertNoOverlap(
    trainerIds: string[],
    startsAt: Date,
    endsAt: Date,
    exceptId?: Types.ObjectId,
  ): Promise<void> {
    if (!trainerIds.length) return;
    const clashes = await this.sessions.overlapping(
      trainerIds.map((t) => new Types.ObjectId(t)),
      startsAt,
      endsAt,
      exceptId,
    );
    if (clashes.length) {
      const busy = new Set(clashes.flatMap((c) => c.trainerIds.map(String)).filter((t) => trainerIds.includes(t)));
      throw new AppException(
        HttpStatus.CONFLICT,
        'TRAINER_OVERLAP',
        {
          id: 'Pelatih sudah dijadwalkan pada sesi lain di waktu yang sama.',
          en: 'A trainer is already booked for another session at that time.',
        },
        { trainerIds: [...busy], sessionIds: clashes.map((c) => String(c._id)) },
      );
    }
  }

  private async refreshCourseSchedule(courseId: Types.ObjectId): Promise<void> {
    const list = await this.sessions.byCourse(courseId, false);
    if (!list.length) return this.courses.setSchedule(courseId, null, null);
    const startsAt = new Date(Math.min(...list.map((s) => s.startsAt.getTime())));
    const endsAt = new Date(Math.max(...list.map((s) => s.endsAt.getTime())));
    await this.courses.setSchedule(courseId, startsAt, endsAt);
  }
}
