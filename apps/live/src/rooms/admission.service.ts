/**
 * Who may enter a session's room, and as what: admins (moderator), the
 * course's or session's trainers (host), and enrolled participants, only from
 * ROOM_EARLY_ENTRY_MINUTES before the start until ROOM_GRACE_MINUTES after the
 * end, never after the session ended or was cancelled, never after removal,
 * never with a blocked (deactivated) account.
 * Reads the API's collections directly (read-only). Who is enrolled in the
 * course and which accounts are blocked come from AdmissionCache (one read per
 * course, dropped by the API's change messages), so a join storm costs no
 * database read per person; the removal set is in Redis. Without the cache
 * (its subscription down) each join reads the enrolment by its derived id and
 * the account by its id.
 */
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Types } from 'mongoose';
import type { AuthUser } from '@balai/common';
import { LiveErrorCode, RoomRole } from '@balai/live-contract';
import type { LiveAppEnv } from '../config/live-config';
import { LiveException } from '../signalling/live.exception';
import { AdmissionCache } from './admission-cache.service';
import { RemovalStore } from './removal.store';
import type { SessionFacts } from './room';
import { SessionAndCourse, SessionRepository } from './session.repository';

const SESSION_CACHE_MS = 5000;

export interface Admission {
  facts: SessionFacts;
  role: RoomRole;
}

@Injectable()
export class AdmissionService {
  private readonly cache = new Map<string, { expires: number; value: Promise<SessionAndCourse | null> }>();

  constructor(
    private readonly repository: SessionRepository,
    private readonly removals: RemovalStore,
    private readonly people: AdmissionCache,
    private readonly config: ConfigService<LiveAppEnv, true>,
  ) {}

  /** Latest instant anyone may be in the room (end + grace). */
  closesAt(facts: SessionFacts): Date {
    return new Date(facts.endsAt.getTime() + this.config.get('ROOM_GRACE_MINUTES', { infer: true }) * 60_000);
  }

  async admit(user: AuthUser, sessionId: string, now = new Date()): Promise<Admission> {
    const found = await this.sessionAndCourse(sessionId);
    if (!found) throw new LiveException(LiveErrorCode.SessionNotFound, 'no such session');
    const { session, course } = found;
    const staff =
      user.role === 'admin' || [...session.trainerIds, ...course.trainerIds].some((id) => String(id) === user.id);
    // Per-user reads in parallel, each by key; staff need no enrolment read.
    const [enrolled, removed, blocked] = await Promise.all([
      staff ? Promise.resolve(false) : this.isEnrolled(user, session.courseId),
      this.removals.isRemoved(String(session._id), user.id),
      this.isBlocked(user.id),
    ]);
    if (blocked) throw new LiveException(LiveErrorCode.NotAllowed, 'this account is blocked');

    const role = this.roleOf(user, session.trainerIds, course.trainerIds, enrolled);
    if (!role) throw new LiveException(LiveErrorCode.NotAllowed, 'you are not enrolled in this course');

    const facts: SessionFacts = {
      sessionId: String(session._id),
      courseId: String(session.courseId),
      startsAt: session.startsAt,
      endsAt: session.endsAt,
    };
    if (session.status === 'cancelled' || course.status === 'cancelled') {
      throw new LiveException(LiveErrorCode.SessionOver, 'this session was cancelled');
    }
    if (session.status === 'ended') throw new LiveException(LiveErrorCode.SessionOver, 'this session has ended');
    const opensAt = new Date(
      facts.startsAt.getTime() - this.config.get('ROOM_EARLY_ENTRY_MINUTES', { infer: true }) * 60_000,
    );
    if (now < opensAt) {
      throw new LiveException(LiveErrorCode.TooEarly, 'the room is not open yet', { opensAt: opensAt.toISOString() });
    }
    if (now > this.closesAt(facts)) throw new LiveException(LiveErrorCode.SessionOver, 'this session is over');
    if (removed) {
      throw new LiveException(LiveErrorCode.Removed, 'you were removed from this session');
    }
    return { facts, role };
  }

  /**
   * Session and course, shared by every join of the same session for a few
   * seconds: at the start of a crowded session hundreds of joins would
   * otherwise read the same two documents. Ending a session invalidates it.
   */
  private sessionAndCourse(sessionId: string): Promise<SessionAndCourse | null> {
    const cached = this.cache.get(sessionId);
    if (cached && cached.expires > Date.now()) return cached.value;
    const value = this.repository.sessionAndCourse(sessionId);
    this.cache.set(sessionId, { expires: Date.now() + SESSION_CACHE_MS, value });
    value.catch(() => this.cache.delete(sessionId));
    if (this.cache.size > 1000) {
      for (const [key, entry] of this.cache) if (entry.expires <= Date.now()) this.cache.delete(key);
    }
    return value;
  }

  /** Forget what is cached about a session (its status changed). */
  invalidate(sessionId: string): void {
    this.cache.delete(sessionId);
  }

  private roleOf(
    user: AuthUser,
    sessionTrainers: Types.ObjectId[],
    courseTrainers: Types.ObjectId[],
    enrolled: boolean,
  ): RoomRole | null {
    if (user.role === 'admin') return 'moderator';
    const isTrainer = [...sessionTrainers, ...courseTrainers].some((id) => String(id) === user.id);
    if (isTrainer) return 'host';
    return enrolled ? 'participant' : null;
  }

  private async isEnrolled(user: AuthUser, courseId: Types.ObjectId): Promise<boolean> {
    if (user.role === 'admin') return false;
    const enrolled = this.people.enrolledIn(String(courseId));
    return enrolled ? (await enrolled).has(user.id) : this.repository.isEnrolled(courseId, user.id);
  }

  private async isBlocked(userId: string): Promise<boolean> {
    const blocked = this.people.blockedUsers();
    return blocked ? (await blocked).has(userId) : !(await this.repository.isActiveUser(userId));
  }
}
