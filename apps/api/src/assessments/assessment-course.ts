/**
 * Course facts every assessment route needs, read once per request: the
 * course (access-checked), its test settings and the window of each test.
 */
import { Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import type { AuthUser } from '@balai/common';
import { TestKind, testPhase, TestPhase, testWindow, TestWindow } from '@balai/domain/assessment';
import { CourseAccess } from '../courses/course-access';
import type { CourseRecord } from '../courses/course.repository';
import { SessionRecord, SessionRepository } from '../sessions/session.repository';
import { AssessmentSettingsRepository, ResolvedAssessmentSettings } from './assessment-settings.repository';

export interface AssessmentCourse {
  course: CourseRecord;
  courseId: Types.ObjectId;
  settings: ResolvedAssessmentSettings;
  sessions: SessionRecord[];
  /** Actor is admin or a trainer of the course. */
  staff: boolean;
  window(kind: TestKind): TestWindow;
  phase(kind: TestKind, now: Date): TestPhase;
}

/** A session counts over the time it was held: cut short when the host ended it early. */
export function heldSessions(sessions: SessionRecord[]): Array<{ startsAt: Date; endsAt: Date }> {
  return sessions
    .filter((s) => s.status !== 'cancelled')
    .map((s) => {
      const ended =
        s.status === 'ended' && s.liveEndedAt && s.liveEndedAt.getTime() < s.endsAt.getTime() ? s.liveEndedAt : null;
      return {
        startsAt: s.startsAt,
        endsAt: ended ? new Date(Math.max(ended.getTime(), s.startsAt.getTime())) : s.endsAt,
      };
    });
}

@Injectable()
export class AssessmentCourses {
  constructor(
    private readonly access: CourseAccess,
    private readonly sessions: SessionRepository,
    private readonly settings: AssessmentSettingsRepository,
  ) {}

  /** Staff of the course only. */
  async forStaff(actor: AuthUser, courseId: string): Promise<AssessmentCourse> {
    return this.build(await this.access.forStaff(actor, courseId), true);
  }

  /** Staff, or a participant with a seat (enrolled). */
  async forMember(actor: AuthUser, courseId: string): Promise<AssessmentCourse> {
    const course = await this.access.forMember(actor, courseId, true);
    return this.build(course, actor.role === 'admin' || this.access.isTrainerOf(actor, course));
  }

  isStaff(actor: AuthUser, course: CourseRecord): boolean {
    return actor.role === 'admin' || this.access.isTrainerOf(actor, course);
  }

  async load(courseId: string): Promise<CourseRecord> {
    return this.access.load(courseId);
  }

  async build(course: CourseRecord, staff: boolean): Promise<AssessmentCourse> {
    const [settings, sessions] = await Promise.all([
      this.settings.get(course._id),
      this.sessions.byCourse(course._id, false),
    ]);
    const held = heldSessions(sessions);
    const window = (kind: TestKind) =>
      testWindow({
        kind,
        sessions: held,
        openedAt: kind === 'post' ? settings.post.openedAt : null,
        openDays: settings.post.openDays,
      });
    return {
      course,
      courseId: course._id,
      settings,
      sessions,
      staff,
      window,
      phase: (kind, now) => testPhase(kind, window(kind), now),
    };
  }
}
