import { Injectable } from '@nestjs/common';
import type { AuthUser } from '@balai/common';
import type { TestKind } from '@balai/domain/assessment';
import { toJakarta } from '../common/time';
import { AssessmentCourses } from './assessment-course';
import { AssessmentSettingsRepository, ResolvedAssessmentSettings } from './assessment-settings.repository';
import type { AssessmentSettingsDto, UpdateAssessmentSettingsDto } from './dto/test.dto';

export function toSettingsDto(s: ResolvedAssessmentSettings): AssessmentSettingsDto {
  const test = (t: ResolvedAssessmentSettings['pre'], kind: TestKind) => ({
    enabled: t.enabled,
    timeLimitMinutes: t.timeLimitMinutes,
    maxAttempts: t.maxAttempts,
    ...(kind === 'post' ? { openDays: t.openDays, openedAt: toJakarta(t.openedAt) } : {}),
  });
  return {
    courseId: s.courseId,
    pre: test(s.pre, 'pre'),
    post: test(s.post, 'post'),
    minPostTestPercent: s.minPostTestPercent,
    requireEvaluation: s.requireEvaluation,
  };
}

/** Test settings and the assessment conditions of a course's certificate: admins and the course's trainers. */
@Injectable()
export class AssessmentSettingsService {
  constructor(
    private readonly courses: AssessmentCourses,
    private readonly settings: AssessmentSettingsRepository,
  ) {}

  async get(actor: AuthUser, courseId: string): Promise<AssessmentSettingsDto> {
    return toSettingsDto((await this.courses.forStaff(actor, courseId)).settings);
  }

  async update(actor: AuthUser, courseId: string, dto: UpdateAssessmentSettingsDto): Promise<AssessmentSettingsDto> {
    const ctx = await this.courses.forStaff(actor, courseId);
    const set: Record<string, unknown> = {};
    for (const kind of ['pre', 'post'] as const) {
      const given = dto[kind];
      if (!given) continue;
      const current = ctx.settings[kind];
      set[`${kind}.enabled`] = given.enabled ?? current.enabled;
      set[`${kind}.timeLimitMinutes`] = given.timeLimitMinutes ?? current.timeLimitMinutes;
      set[`${kind}.maxAttempts`] = given.maxAttempts ?? current.maxAttempts;
      if (kind === 'post') set[`${kind}.openDays`] = given.openDays ?? current.openDays;
    }
    if (dto.minPostTestPercent !== undefined) set.minPostTestPercent = dto.minPostTestPercent;
    if (dto.requireEvaluation !== undefined) set.requireEvaluation = dto.requireEvaluation;
    return toSettingsDto(await this.settings.update(ctx.courseId, set));
  }

  /** The trainer opens the post-test before the last session has ended. */
  async openPost(actor: AuthUser, courseId: string, now = new Date()): Promise<AssessmentSettingsDto> {
    const ctx = await this.courses.forStaff(actor, courseId);
    if (ctx.settings.post.openedAt) return toSettingsDto(ctx.settings);
    return toSettingsDto(await this.settings.open(ctx.courseId, 'post', now));
  }
}
