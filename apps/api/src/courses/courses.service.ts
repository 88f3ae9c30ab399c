import { HttpStatus, Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import { AppException, AuthUser } from '@balai/common';
import { allowedCourseTransitions, COURSE_TRANSITIONS, courseSchedule, newCourseCertificateRules } from '@balai/domain';
import { EnrollmentRepository } from '../enrollments/enrollment.repository';
import { toJakartaText } from '../common/time';
import { Course } from '@balai/database';
import { badRequest, conflict, isDuplicateKey, notFound } from '../common/errors';
import { Page, pageOf } from '../common/pagination';
import { NotificationProducer } from '@balai/queue';
import { SessionRepository, sessionTimes } from '../sessions/session.repository';
import { UserRepository } from '../users/user.repository';
import { WaitlistService } from '../enrollments/waitlist.service';
import { RedisMutex } from '../common/redis-mutex';
import { MicroCache } from '../common/micro-cache';
import { SeatCounter } from '../enrollments/seat-counter';
import { CourseAccess } from './course-access';
import { PUBLIC_STATUSES, toCourseResponse } from './course.mapper';
import { CourseFilter, CourseRecord, CourseRepository } from './course.repository';
import { ChangeStatusDto, CourseQueryDto, CourseResponseDto, CreateCourseDto, UpdateCourseDto } from './dto/course.dto';

/** Public catalogue answers may be this stale (seat counts included); enrolment itself never is. */
const CATALOGUE_CACHE_MS = 2000;

@Injectable()
export class CoursesService {
  private readonly catalogueCache = new MicroCache<Page<CourseResponseDto>>(CATALOGUE_CACHE_MS);
  private readonly detailCache = new MicroCache<CourseResponseDto>(CATALOGUE_CACHE_MS);

  constructor(
    private readonly courses: CourseRepository,
    private readonly sessions: SessionRepository,
    private readonly users: UserRepository,
    private readonly access: CourseAccess,
    private readonly notifications: NotificationProducer,
    private readonly waitlist: WaitlistService,
    private readonly mutex: RedisMutex,
    private readonly seats: SeatCounter,
    private readonly enrollments: EnrollmentRepository,
  ) {}

  async create(dto: CreateCourseDto): Promise<CourseResponseDto> {
    const opens = new Date(dto.registrationOpensAt);
    const closes = new Date(dto.registrationClosesAt);
    this.assertWindow(opens, closes);
    await this.assertTrainers(dto.trainerIds ?? []);
    try {
      const course = await this.courses.create({
        code: dto.code,
        title: dto.title,
        description: dto.description ?? '',
        category: dto.category,
        type: dto.type,
        status: 'draft',
        trainerIds: (dto.trainerIds ?? []).map((id) => new Types.ObjectId(id)),
        capacity: dto.capacity,
        registrationOpensAt: opens,
        registrationClosesAt: closes,
        lessonHours: dto.lessonHours,
        certificate: newCourseCertificateRules(dto.type, dto.certificate),
        location: dto.location,
        autoRecord: dto.autoRecord ?? false,
      });
      this.invalidate();
      return this.toResponse(course);
    } catch (error) {
      if (isDuplicateKey(error))
        throw conflict('COURSE_CODE_TAKEN', {
          id: 'Kode pelatihan sudah dipakai.',
          en: 'This course code is already used.',
        });
      throw error;
    }
  }

  async update(id: string, dto: UpdateCourseDto): Promise<CourseResponseDto> {
    const current = await this.access.load(id);
    if (current.status === 'completed' || current.status === 'cancelled') {
      throw conflict('COURSE_CLOSED', {
        id: 'Pelatihan yang sudah selesai atau dibatalkan tidak dapat diubah.',
        en: 'A completed or cancelled course cannot be changed.',
      });
    }
    const set: Partial<Course> = {};
    if (dto.title !== undefined) set.title = dto.title;
    if (dto.description !== undefined) set.description = dto.description;
    if (dto.category !== undefined) set.category = dto.category;
    if (dto.type !== undefined) set.type = dto.type;
    if (dto.lessonHours !== undefined) set.lessonHours = dto.lessonHours;
    if (dto.location !== undefined) set.location = dto.location;
    if (dto.code !== undefined) set.code = dto.code;
    if (dto.autoRecord !== undefined) set.autoRecord = dto.autoRecord;
    if (dto.certificate !== undefined) set.certificate = { ...current.certificate, ...dto.certificate };
    if (dto.trainerIds !== undefined) {
      await this.assertTrainers(dto.trainerIds);
      set.trainerIds = dto.trainerIds.map((t) => new Types.ObjectId(t));
    }
    const opens = dto.registrationOpensAt ? new Date(dto.registrationOpensAt) : current.registrationOpensAt;
    const closes = dto.registrationClosesAt ? new Date(dto.registrationClosesAt) : current.registrationClosesAt;
    this.assertWindow(opens, closes);
    set.registrationOpensAt = opens;
    set.registrationClosesAt = closes;
    if (dto.capacity !== undefined) set.capacity = dto.capacity;
    const belowSeats = () =>
      conflict('CAPACITY_BELOW_SEATS', {
        id: 'Kapasitas tidak boleh lebih kecil dari jumlah peserta terdaftar.',
        en: 'Capacity cannot be less than the seats already taken.',
      });
    // Capacity lives with the seat counters (atomic against enrolment); the waitlist moves under the course lock.
    const updated = await this.mutex.withLock(`course:${id}`, async () => {
      if (dto.capacity !== undefined && !(await this.seats.setCapacity(current._id, dto.capacity))) throw belowSeats();
      let result: CourseRecord | null;
      try {
        result = await this.courses.update(id, { $set: set }, { status: current.status });
      } catch (error) {
        if (dto.capacity !== undefined) await this.seats.setCapacity(current._id, current.capacity);
        if (isDuplicateKey(error))
          throw conflict('COURSE_CODE_TAKEN', {
            id: 'Kode pelatihan sudah dipakai.',
            en: 'This course code is already used.',
          });
        throw error;
      }
      if (!result) {
        if (dto.capacity !== undefined) await this.seats.setCapacity(current._id, current.capacity);
        throw conflict('STATUS_CHANGED', {
          id: 'Status pelatihan baru saja berubah. Muat ulang.',
          en: 'The course status just changed. Reload.',
        });
      }
      if (dto.capacity !== undefined && dto.capacity > current.capacity) await this.waitlist.fillFreeSeats(result._id);
      return result;
    });
    this.invalidate();
    return this.toResponse((await this.courses.findById(id)) ?? updated);
  }

  async changeStatus(id: string, dto: ChangeStatusDto): Promise<CourseResponseDto> {
    const current = await this.access.load(id);
    if (!COURSE_TRANSITIONS[current.status].includes(dto.status)) {
      throw new AppException(HttpStatus.CONFLICT, 'INVALID_STATUS_TRANSITION', {
        id: `Status pelatihan tidak dapat diubah dari ${current.status} ke ${dto.status}.`,
        en: `A course cannot go from ${current.status} to ${dto.status}.`,
      });
    }
    const schedule = courseSchedule((await this.sessions.byCourse(current._id, false)).map(sessionTimes), new Date());
    if (!allowedCourseTransitions(current.status, schedule.phase).includes(dto.status)) {
      const until = schedule.endsAt
        ? { id: toJakartaText(schedule.endsAt), en: toJakartaText(schedule.endsAt, 'en') }
        : null;
      throw new AppException(
        HttpStatus.CONFLICT,
        'COURSE_NOT_FINISHED',
        {
          id: until
            ? `Pelatihan baru dapat ditandai selesai setelah sesi terakhir berakhir (${until.id}).`
            : 'Pelatihan baru dapat ditandai selesai setelah semua sesinya berakhir.',
          en: until
            ? `The course can be marked completed after its last session ends (${until.en}).`
            : 'The course can be marked completed once all its sessions are over.',
        },
        schedule.endsAt ? { availableAt: [schedule.endsAt.toISOString()] } : undefined,
      );
    }
    if (dto.status === 'published') {
      const sessions = await this.sessions.byCourse(current._id, false);
      if (sessions.length === 0) {
        throw conflict('NO_SESSIONS', {
          id: 'Tambahkan minimal satu sesi sebelum menerbitkan pelatihan.',
          en: 'Add at least one session before publishing.',
        });
      }
    }
    const updated = await this.courses.update(id, { $set: { status: dto.status } }, { status: current.status });
    if (!updated)
      throw conflict('STATUS_CHANGED', {
        id: 'Status pelatihan baru saja berubah. Muat ulang.',
        en: 'The course status just changed. Reload.',
      });
    this.invalidate();
    if (dto.status === 'cancelled') await this.cancelSessions(updated);
    return this.toResponse(updated);
  }

  private async cancelSessions(course: CourseRecord): Promise<void> {
    const sessions = await this.sessions.byCourse(course._id, false);
    for (const session of sessions) {
      if (session.status !== 'scheduled') continue;
      const cancelled = await this.sessions.update(session._id, { status: 'cancelled' }, { status: 'scheduled' });
      if (!cancelled) continue;
      await this.notifications.removeReminders(String(session._id));
      await this.notifications.sessionCancelled({
        sessionId: String(session._id),
        courseId: String(course._id),
        reason: 'course-cancelled',
      });
    }
  }

  async remove(id: string): Promise<void> {
    await this.access.load(id);
    if (!(await this.courses.deleteDraft(id))) {
      throw conflict('COURSE_NOT_DRAFT', {
        id: 'Hanya pelatihan draf tanpa peserta yang dapat dihapus.',
        en: 'Only a draft course without participants can be deleted.',
      });
    }
    await this.sessions.deleteByCourse(new Types.ObjectId(id));
    this.invalidate();
  }

  /** Admin: everything; trainer: only courses they teach. */
  async list(actor: AuthUser, query: CourseQueryDto): Promise<Page<CourseResponseDto>> {
    const filter = this.filterOf(query);
    if (query.status) filter.statuses = [query.status];
    if (actor.role === 'trainer') filter.trainerId = actor.id;
    return this.page(filter, query);
  }

  /** Public catalogue: published and ongoing courses only (micro-cached, see CATALOGUE_CACHE_MS). */
  catalogue(query: CourseQueryDto): Promise<Page<CourseResponseDto>> {
    const filter = this.filterOf(query);
    filter.statuses = query.status ? PUBLIC_STATUSES.filter((s) => s === query.status) : PUBLIC_STATUSES;
    return this.catalogueCache.get(JSON.stringify([filter, query.page, query.limit]), () => this.page(filter, query));
  }

  publicDetail(id: string): Promise<CourseResponseDto> {
    return this.detailCache.get(id, async () => {
      const course = await this.access.load(id);
      if (!PUBLIC_STATUSES.includes(course.status))
        throw notFound({ id: 'Pelatihan tidak ditemukan.', en: 'Course not found.' });
      return this.toResponse(course);
    });
  }

  private invalidate(): void {
    this.catalogueCache.clear();
    this.detailCache.clear();
  }

  async detail(actor: AuthUser, id: string): Promise<CourseResponseDto> {
    const course = await this.access.forMember(actor, id).catch(async (error: unknown) => {
      // Anyone signed in may read what the public catalogue shows.
      const loaded = await this.access.load(id);
      if (PUBLIC_STATUSES.includes(loaded.status)) return loaded;
      throw error;
    });
    // Seats from the counters themselves: the course document catches up within SYNC_EVERY_MS,
    // and a participant who just enrolled must see the seat gone on the next read.
    const [response, seats, mine] = await Promise.all([
      this.toResponse(course),
      this.seats.state(course._id),
      actor.role === 'participant' ? this.enrollments.findOne(course._id, actor.id) : Promise.resolve(null),
    ]);
    const out: CourseResponseDto = {
      ...response,
      capacity: seats.capacity,
      seatsTaken: seats.seatsTaken,
      seatsLeft: Math.max(0, seats.capacity - seats.seatsTaken),
    };
    if (actor.role === 'participant') {
      const active = mine && (mine.status === 'enrolled' || mine.status === 'waitlisted') ? mine : null;
      out.myEnrollment = active
        ? {
            id: String(active._id),
            status: active.status,
            ...(active.status === 'waitlisted'
              ? { waitlistPosition: await this.enrollments.waitlistPosition(active) }
              : {}),
          }
        : null;
    }
    return out;
  }

  private filterOf(query: CourseQueryDto): CourseFilter {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from > to)
      throw badRequest('INVALID_RANGE', {
        id: 'Tanggal "dari" harus sebelum "sampai".',
        en: '"from" must be before "to".',
      });
    return { type: query.type, q: query.q, category: query.category, from, to };
  }

  private async page(filter: CourseFilter, query: CourseQueryDto): Promise<Page<CourseResponseDto>> {
    const { page, limit, skip } = pageOf(query);
    const { items, total } = await this.courses.page(filter, skip, limit);
    const [trainers, sessions] = await Promise.all([
      this.trainerMap(items),
      this.sessions.byCourses(items.map((c) => c._id)),
    ]);
    return {
      items: items.map((c) =>
        toCourseResponse(
          c,
          trainers,
          sessions.filter((s) => String(s.courseId) === String(c._id)),
        ),
      ),
      total,
      page,
      limit,
    };
  }

  async toResponse(course: CourseRecord): Promise<CourseResponseDto> {
    const [trainers, sessions] = await Promise.all([
      this.trainerMap([course]),
      this.sessions.byCourse(course._id, false),
    ]);
    return toCourseResponse(course, trainers, sessions);
  }

  private async trainerMap(courses: CourseRecord[]) {
    const ids = [...new Set(courses.flatMap((c) => c.trainerIds.map(String)))].map((id) => new Types.ObjectId(id));
    const users = ids.length ? await this.users.findManyByIds(ids) : [];
    return new Map(users.map((u) => [String(u._id), u]));
  }

  private assertWindow(opens: Date, closes: Date): void {
    if (opens >= closes) {
      throw badRequest(
        'INVALID_REGISTRATION_WINDOW',
        {
          id: 'Pendaftaran harus dibuka sebelum ditutup.',
          en: 'Registration must open before it closes.',
        },
        { registrationClosesAt: ['registrationClosesAt must be after registrationOpensAt'] },
      );
    }
  }

  private async assertTrainers(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const count = await this.users.countByIdsAndRole(ids, 'trainer');
    if (count !== ids.length) {
      throw badRequest('UNKNOWN_TRAINER', {
        id: 'Pelatih tidak ditemukan atau bukan pelatih aktif.',
        en: 'A trainer id is unknown or not an active trainer.',
      });
    }
  }
}
