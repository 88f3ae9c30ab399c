import { HttpStatus, Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import { AppException, AuthUser } from '@balai/common';
import {
  certificateRules,
  groupIntervals,
  heldWindow,
  meetsAttendanceThreshold,
  summarizeAttendance,
} from '@balai/domain';
import { badRequest, notFound } from '../common/errors';
import { isDuplicateKey } from '../common/errors';
import { RedisMutex } from '../common/redis-mutex';
import { CourseAccess } from '../courses/course-access';
import type { CourseRecord } from '../courses/course.repository';
import { EnrollmentRepository } from '../enrollments/enrollment.repository';
import { SessionRepository, sessionTimes } from '../sessions/session.repository';
import { UserRepository } from '../users/user.repository';
import { AttendanceCalculator } from './attendance.calculator';
import { AttendanceRepository, isOrphanLeave, ORPHAN_PREFIX } from './attendance.repository';
import {
  AttendanceEventDto,
  AttendanceEventResultDto,
  CourseAttendanceDto,
  SessionAttendanceDto,
  SessionAttendanceRowDto,
} from './dto/attendance.dto';

const MAX_CLOCK_SKEW_MS = 10 * 60_000;

@Injectable()
export class AttendanceService {
  constructor(
    private readonly intervals: AttendanceRepository,
    private readonly sessions: SessionRepository,
    private readonly enrollments: EnrollmentRepository,
    private readonly users: UserRepository,
    private readonly access: CourseAccess,
    private readonly calculator: AttendanceCalculator,
    private readonly mutex: RedisMutex,
  ) {}

  /**
   * Stores one live-room event. A join opens an interval keyed by its eventId
   * (unique index: a retried join is a no-op); a leave closes the latest open
   * interval of that user in that session. Reconnections simply open a new
   * interval; overlaps and gaps are resolved by merging when minutes are counted.
   */
  async record(event: AttendanceEventDto): Promise<AttendanceEventResultDto> {
    const at = new Date(event.at);
    if (at.getTime() > Date.now() + MAX_CLOCK_SKEW_MS) {
      throw badRequest('EVENT_IN_FUTURE', {
        id: 'Waktu kejadian ada di masa depan.',
        en: 'The event time is in the future.',
      });
    }
    const session = await this.sessions.findById(event.sessionId);
    if (!session) throw notFound({ id: 'Sesi tidak ditemukan.', en: 'Session not found.' });
    const userId = new Types.ObjectId(event.userId);
    // One user's events in one session are applied one at a time (no transactions on FerretDB).
    return this.mutex.withLock(`attendance:${event.sessionId}:${event.userId}`, async () => {
      if (event.type === 'join') {
        let opened;
        try {
          opened = await this.intervals.open({
            sessionId: session._id,
            courseId: session.courseId,
            userId,
            joinEventId: event.eventId,
            joinedAt: at,
          });
        } catch (error) {
          if (isDuplicateKey(error)) return { result: 'duplicate' };
          throw error;
        }
        const early = await this.intervals.earliestOrphanLeave(session._id, userId, at);
        if (early?.leftAt) {
          await this.intervals.close(opened._id, early.leftAt, `${early.leaveEventId ?? ''}:matched`, 'late-join');
          await this.intervals.markMatched(early._id);
        }
        return { result: 'recorded' };
      }
      if (await this.intervals.findByLeaveEvent(event.eventId)) return { result: 'duplicate' };
      const open = await this.intervals.latestOpen(session._id, userId, at);
      if (!open) {
        // Its join has not arrived yet: remember the leave (zero length, counts nothing).
        await this.intervals.open({
          sessionId: session._id,
          courseId: session.courseId,
          userId,
          joinEventId: `${ORPHAN_PREFIX}${event.eventId}`,
          joinedAt: at,
          leftAt: at,
          leaveEventId: event.eventId,
          leaveReason: event.reason,
        });
        return { result: 'recorded' };
      }
      await this.intervals.close(open._id, at, event.eventId, event.reason);
      return { result: 'recorded' };
    });
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
