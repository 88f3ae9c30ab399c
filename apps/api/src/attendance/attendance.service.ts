import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { Types } from 'mongoose';
import { AppException, AuthUser, RedisClient } from '@balai/common';
import {
  certificateRules,
  groupIntervals,
  heldWindow,
  meetsAttendanceThreshold,
  summarizeAttendance,
} from '@balai/domain';
import { attendanceIntervalId } from '@balai/database';
import { badRequest, notFound } from '../common/errors';
import { RedisMutex } from '../common/redis-mutex';
import { CourseAccess } from '../courses/course-access';
import type { CourseRecord } from '../courses/course.repository';
import { EnrollmentRepository } from '../enrollments/enrollment.repository';
import { SessionRecord, SessionRepository, sessionTimes } from '../sessions/session.repository';
import { UserRepository } from '../users/user.repository';
import { AttendanceCalculator } from './attendance.calculator';
import {
  AttendanceRepository,
  IntervalKeys,
  isOrphanLeave,
  ORPHAN_PREFIX,
  StoreOutcome,
} from './attendance.repository';
import {
  AttendanceBatchItemResultDto,
  AttendanceBatchResultDto,
  AttendanceEventDto,
  AttendanceEventResultDto,
  CourseAttendanceDto,
  SessionAttendanceDto,
  SessionAttendanceRowDto,
} from './dto/attendance.dto';

const MAX_CLOCK_SKEW_MS = 10 * 60_000;
/** Intervals of one batch written at the same time (each interval's own events stay in order). */
const BATCH_CONCURRENCY = 8;
/** Kept as long as a live node keeps a presence record (2 days). */
const LEGACY_ORPHAN_TTL_S = 2 * 24 * 3600;
const legacyOrphanKey = (sessionId: string, userId: string) => `attendance:legacy-orphan:${sessionId}:${userId}`;

@Injectable()
export class AttendanceService {
  private readonly logger = new Logger(AttendanceService.name);

  constructor(
    private readonly intervals: AttendanceRepository,
    private readonly sessions: SessionRepository,
    private readonly enrollments: EnrollmentRepository,
    private readonly users: UserRepository,
    private readonly access: CourseAccess,
    private readonly calculator: AttendanceCalculator,
    private readonly mutex: RedisMutex,
    private readonly redis: RedisClient,
  ) {}

  /**
   * Stores one live-room event (the single-event route; older live nodes).
   * The same rules as a batch of one, with 400/404 for a refused event.
   */
  async record(event: AttendanceEventDto): Promise<AttendanceEventResultDto> {
    this.checkTime(event);
    const session = await this.sessions.findById(event.sessionId);
    if (!session) throw sessionNotFound();
    return { result: await this.apply(event, session) };
  }

  /**
   * Stores a batch of live-room events and answers for each, in order:
   * recorded / duplicate / ignored, `rejected` (with its code; retrying cannot
   * help) or `retry` (not stored this time, e.g. the database failed; the live
   * service sends it again). An interval's events are applied in the order
   * sent, and once one of them fails the rest of that interval's wait for the
   * retry; other intervals go on (BATCH_CONCURRENCY at a time). When nothing
   * could be stored the error itself is answered (503 when the database is
   * down). Every write reaches its document by primary key, except for events
   * of older live nodes (a leave without `joinEventId`).
   */
  async recordBatch(events: AttendanceEventDto[]): Promise<AttendanceBatchResultDto> {
    const results: AttendanceBatchItemResultDto[] = events.map((e) => ({ eventId: e.eventId, result: 'retry' }));
    const sessions = new Map<string, Promise<SessionRecord | null>>();
    const sessionOf = (id: string) => {
      let found = sessions.get(id);
      if (!found) {
        found = this.sessions.findById(id);
        sessions.set(id, found);
      }
      return found;
    };
    const groups = new Map<string, number[]>();
    events.forEach((event, index) => {
      const key = intervalKey(event);
      const group = groups.get(key);
      if (group) group.push(index);
      else groups.set(key, [index]);
    });
    let firstError: unknown;
    const runGroup = async (indexes: number[]) => {
      for (const index of indexes) {
        const event = events[index];
        try {
          this.checkTime(event);
          const session = await sessionOf(event.sessionId);
          if (!session) throw sessionNotFound();
          results[index] = { eventId: event.eventId, result: await this.apply(event, session) };
        } catch (error) {
          if (error instanceof AppException && error.getStatus() < 500) {
            results[index] = { eventId: event.eventId, result: 'rejected', code: error.code };
            continue;
          }
          firstError ??= error;
          this.logger.warn({ err: error, eventId: event.eventId }, 'attendance event not stored; the sender retries');
          return; // this interval's later events wait (they stay `retry`)
        }
      }
    };
    const queue = [...groups.values()];
    await Promise.all(
      Array.from({ length: Math.min(BATCH_CONCURRENCY, queue.length) }, async () => {
        for (let group = queue.shift(); group; group = queue.shift()) await runGroup(group);
      }),
    );
    if (firstError !== undefined && results.every((r) => r.result === 'retry')) {
      throw firstError instanceof Error ? firstError : new Error('attendance batch not stored', { cause: firstError });
    }
    return { results };
  }

  private checkTime(event: AttendanceEventDto): void {
    if (new Date(event.at).getTime() > Date.now() + MAX_CLOCK_SKEW_MS) {
      throw badRequest('EVENT_IN_FUTURE', {
        id: 'Waktu kejadian ada di masa depan.',
        en: 'The event time is in the future.',
      });
    }
  }

  /**
   * A join opens an interval under an id derived from its eventId (a retried
   * join is a no-op); a leave naming its join closes that interval by the same
   * id (or, arriving first, leaves a zero-length record the late join
   * completes). Reconnections simply open a new interval; overlaps and gaps are
   * resolved by merging when minutes are counted. A leave without a join id
   * (older live nodes) closes the latest open interval of that user in that
   * session, found by searching, under the user's lock.
   */
  private async apply(event: AttendanceEventDto, session: SessionRecord): Promise<StoreOutcome> {
    const at = new Date(event.at);
    const keys: IntervalKeys = {
      sessionId: session._id,
      courseId: session.courseId,
      userId: new Types.ObjectId(event.userId),
    };
    const lock = `attendance:${event.sessionId}:${event.userId}`;
    if (event.type === 'join') {
      const outcome = await this.intervals.storeJoin(keys, event.eventId, at);
      // Only a user who had an early leave without a join id (a Redis mark) is searched for one.
      if (outcome === 'recorded' && (await this.redis.client.exists(legacyOrphanKey(event.sessionId, event.userId)))) {
        await this.mutex.withLock(lock, () => this.matchLegacyOrphan(keys, event.eventId, at));
      }
      return outcome;
    }
    const leave = { leaveEventId: event.eventId, leftAt: at, reason: event.reason };
    if (event.joinEventId) {
      const outcome = await this.intervals.storeLeave(keys, event.joinEventId, leave);
      return outcome === 'legacy' ? this.intervals.closeLegacy(event.joinEventId, leave) : outcome;
    }
    return this.mutex.withLock(lock, () => this.legacyLeave(keys, event, at));
  }

  /** A join whose early leave (without a join id) is waiting: closed at that leave's time. */
  private async matchLegacyOrphan(keys: IntervalKeys, joinEventId: string, at: Date): Promise<void> {
    const early = await this.intervals.earliestOrphanLeave(keys.sessionId, keys.userId, at);
    if (!early?.leftAt) return;
    await this.intervals.close(
      attendanceIntervalId(joinEventId),
      early.leftAt,
      `${early.leaveEventId ?? ''}:matched`,
      'late-join',
    );
    await this.intervals.markMatched(early._id);
  }

  private async legacyLeave(keys: IntervalKeys, event: AttendanceEventDto, at: Date): Promise<StoreOutcome> {
    if (await this.intervals.findByLeaveEvent(event.eventId)) return 'duplicate';
    const open = await this.intervals.latestOpen(keys.sessionId, keys.userId, at);
    if (open) {
      await this.intervals.close(open._id, at, event.eventId, event.reason);
      return 'recorded';
    }
    // Its join has not arrived yet: remember the leave (zero length, counts nothing), and mark the user so
    // that their joins look for it (marked first: a failure leaves nothing half done, the event is retried).
    await this.redis.client.set(legacyOrphanKey(event.sessionId, event.userId), '1', 'EX', LEGACY_ORPHAN_TTL_S);
    await this.intervals.open({
      ...keys,
      joinEventId: `${ORPHAN_PREFIX}${event.eventId}`,
      joinedAt: at,
      leftAt: at,
      leaveEventId: event.eventId,
      leaveReason: event.reason,
    });
    return 'recorded';
  }

  /**
   * Admin or the course's trainers. Every enrolled participant appears, absent
   * ones with 0 minutes, and participants who came without an active enrolment;
   * trainers and other staff in the room do not. Minutes count against the time
   * the session was held; an interval still open counts up to now only while the
   * session is live (never afterwards: nobody closed it).
   */
  async forSession(actor: AuthUser, sessionId: string): Promise<SessionAttendanceDto> {
    const session = await this.sessions.findById(sessionId);
    if (!session) throw notFound({ id: 'Sesi tidak ditemukan.', en: 'Session not found.' });
    const course = await this.access.forStaff(actor, String(session.courseId));
    const staff = new Set([...course.trainerIds, ...session.trainerIds].map(String));
    const [all, enrollments] = await Promise.all([
      this.intervals.bySession(session._id),
      this.enrollments.byCourse(session.courseId, ['enrolled', 'waitlisted', 'cancelled', 'removed']),
    ]);
    const intervals = all.filter((i) => !isOrphanLeave(i));
    const statusByUser = new Map(enrollments.map((e) => [String(e.userId), e.status as string]));
    const candidates = new Set<string>([
      ...enrollments.filter((e) => e.status === 'enrolled').map((e) => String(e.userId)),
      ...intervals.map((i) => String(i.userId)),
    ]);
    for (const id of staff) candidates.delete(id);
    const users = await this.users.findManyByIds([...candidates].map((id) => new Types.ObjectId(id)));
    const byId = new Map(users.map((u) => [String(u._id), u]));
    const userIds = [...candidates].filter((id) => byId.get(id)?.role !== 'admin' && byId.get(id)?.role !== 'trainer');
    const scheduled = heldWindow(sessionTimes(session));
    const openUntil = session.status === 'live' ? new Date() : undefined;
    const grouped = groupIntervals(intervals);
    const rows: SessionAttendanceRowDto[] = userIds.map((userId) => {
      const mine = intervals.filter((i) => String(i.userId) === userId);
      const attendance = summarizeAttendance([scheduled], grouped.get(userId), { openUntil });
      const leaves = mine.filter((i) => i.leftAt).map((i) => i.leftAt!.getTime());
      const u = byId.get(userId);
      return {
        userId,
        name: u?.name ?? '',
        businessName: u?.ikm?.businessName,
        enrollmentStatus: statusByUser.get(userId) ?? 'guest',
        firstJoinAt: mine.length ? mine[0]!.joinedAt.toISOString() : null,
        lastLeaveAt: leaves.length ? new Date(Math.max(...leaves)).toISOString() : null,
        attendedMinutes: attendance.attendedMinutes,
        scheduledMinutes: attendance.scheduledMinutes,
        percent: attendance.percent,
        connections: mine.length,
      };
    });
    rows.sort((a, b) => a.name.localeCompare(b.name, 'id') || a.userId.localeCompare(b.userId));
    return {
      sessionId,
      courseId: String(session.courseId),
      startsAt: session.startsAt.toISOString(),
      endsAt: session.endsAt.toISOString(),
      heldUntil: scheduled.endsAt.toISOString(),
      rows,
    };
  }

  /** Admin or the course's trainers: every enrolled participant's percentage over the course. */
  async forCourse(actor: AuthUser, courseId: string): Promise<CourseAttendanceDto> {
    const course = await this.access.forStaff(actor, courseId);
    const enrolled = await this.enrollments.byCourse(course._id, ['enrolled']);
    return this.courseRows(
      course._id,
      course.certificate,
      enrolled.map((e) => String(e.userId)),
    );
  }

  /** A participant's own percentage; never anyone else's. */
  async mine(actor: AuthUser, courseId: string): Promise<CourseAttendanceDto> {
    const course = await this.access.forMember(actor, courseId, true);
    if (actor.role !== 'participant')
      throw new AppException(HttpStatus.FORBIDDEN, 'FORBIDDEN', {
        id: 'Hanya untuk peserta.',
        en: 'Participants only.',
      });
    return this.courseRows(course._id, course.certificate, [actor.id]);
  }

  private async courseRows(
    courseId: Types.ObjectId,
    stored: CourseRecord['certificate'] | undefined,
    userIds: string[],
  ): Promise<CourseAttendanceDto> {
    const rules = certificateRules(stored);
    const { sessions, byUser } = await this.calculator.forCourse(
      courseId,
      userIds.length === 1 ? new Types.ObjectId(userIds[0]) : undefined,
    );
    const users = await this.users.findManyByIds(userIds.map((id) => new Types.ObjectId(id)));
    const byId = new Map(users.map((u) => [String(u._id), u]));
    const absent = summarizeAttendance(sessions, undefined);
    const rows = userIds.map((userId) => {
      const a = byUser.get(userId) ?? absent;
      return {
        userId,
        name: byId.get(userId)?.name ?? '',
        businessName: byId.get(userId)?.ikm?.businessName,
        attendedMinutes: a.attendedMinutes,
        scheduledMinutes: a.scheduledMinutes,
        percent: a.percent,
        sessionsAttended: a.sessionsAttended,
        meetsThreshold: meetsAttendanceThreshold(rules, sessions, a),
      };
    });
    rows.sort((a, b) => a.name.localeCompare(b.name, 'id') || a.userId.localeCompare(b.userId));
    return {
      courseId: String(courseId),
      minAttendancePercent: rules.minAttendancePercent,
      sessionCount: sessions.length,
      rows,
    };
  }
}

const sessionNotFound = () => notFound({ id: 'Sesi tidak ditemukan.', en: 'Session not found.' });

/** Events of the same interval share a key (a join and the leave naming it; a user's join-less leaves). */
function intervalKey(event: AttendanceEventDto): string {
  if (event.type === 'join') return `join:${event.eventId}`;
  if (event.joinEventId) return `join:${event.joinEventId}`;
  return `user:${event.sessionId}:${event.userId}`;
}
