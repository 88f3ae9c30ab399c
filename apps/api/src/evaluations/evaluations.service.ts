/**
 * The evaluation survey of a course: a Likert form (the default template unless
 * an admin edited it), one anonymous response per enrolled participant, and
 * aggregate reports that never say who wrote what.
 */
import { HttpStatus, Injectable } from '@nestjs/common';
import { AppException, AuthUser } from '@balai/common';
import { DEFAULT_EVALUATION_ITEMS, EVALUATION_CATEGORIES } from '@balai/domain/assessment';
import { CertificateRequirements } from '../assessments/certificate-requirements.service';
import { CourseAccess } from '../courses/course-access';
import type { CourseRecord } from '../courses/course.repository';
import { forbidden } from '../common/errors';
import { EnrollmentRepository } from '../enrollments/enrollment.repository';
import { SessionRepository } from '../sessions/session.repository';
import type {
  EvaluationFormDto,
  EvaluationReceiptDto,
  EvaluationReportDto,
  SubmitEvaluationDto,
  UpdateEvaluationFormDto,
} from './dto/evaluation.dto';
import { EvaluationRepository } from './evaluation.repository';

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Below this many responses a report shows neither averages nor comments: with
 * one or two respondents a trainer could tell who wrote what.
 */
export const EVALUATION_MIN_RESPONSES = 3;

@Injectable()
export class EvaluationsService {
  constructor(
    private readonly access: CourseAccess,
    private readonly repository: EvaluationRepository,
    private readonly sessions: SessionRepository,
    private readonly enrollments: EnrollmentRepository,
    private readonly requirements: CertificateRequirements,
  ) {}

  async form(actor: AuthUser, courseId: string): Promise<EvaluationFormDto> {
    const course = await this.access.forMember(actor, courseId, true);
    const items = await this.items(course);
    const staff = actor.role === 'admin' || this.access.isTrainerOf(actor, course);
    return {
      courseId,
      isDefault: !(await this.repository.form(course._id))?.items.length,
      items,
      submitted: actor.role === 'participant' ? await this.repository.hasSubmitted(course._id, actor.id) : false,
      responses: staff ? await this.repository.countResponses(course._id) : 0,
    };
  }

  /** Admin only: the trainers being rated do not edit the form. Locked once answers exist (they refer to item ids). */
  async updateForm(actor: AuthUser, courseId: string, dto: UpdateEvaluationFormDto): Promise<EvaluationFormDto> {
    const course = await this.access.load(courseId);
    if (actor.role !== 'admin') throw forbidden();
    if (new Set(dto.items.map((i) => i.id)).size !== dto.items.length) {
      throw new AppException(HttpStatus.BAD_REQUEST, 'DUPLICATE_ITEM_ID', {
        id: 'ID butir evaluasi tidak boleh sama.',
        en: 'Item ids must be unique.',
      });
    }
    if ((await this.repository.countResponses(course._id)) > 0) {
      throw new AppException(HttpStatus.CONFLICT, 'EVALUATION_LOCKED', {
        id: 'Formulir tidak dapat diubah setelah ada jawaban.',
        en: 'The form cannot change once answers exist.',
      });
    }
    await this.repository.saveForm(course._id, dto.items);
    return this.form(actor, courseId);
  }

  async submit(
    actor: AuthUser,
    courseId: string,
    dto: SubmitEvaluationDto,
    now = new Date(),
  ): Promise<EvaluationReceiptDto> {
    if (actor.role !== 'participant') throw forbidden();
    const course = await this.access.forMember(actor, courseId, true);
    const sessions = (await this.sessions.byCourse(course._id, false)).sort(
      (a, b) => a.startsAt.getTime() - b.startsAt.getTime(),
    );
    if (!sessions.length || sessions[0]!.startsAt.getTime() > now.getTime()) {
      throw new AppException(HttpStatus.CONFLICT, 'EVALUATION_NOT_OPEN', {
        id: 'Evaluasi dibuka setelah kegiatan dimulai.',
        en: 'The evaluation opens once the course has started.',
      });
    }
    const items = await this.items(course);
    const given = new Map(dto.ratings.map((r) => [r.itemId, r.value]));
    const unknown = dto.ratings.filter((r) => !items.some((i) => i.id === r.itemId)).map((r) => r.itemId);
    const missing = items.filter((i) => !given.has(i.id)).map((i) => i.id);
    if (unknown.length || missing.length || given.size !== dto.ratings.length) {
      throw new AppException(
        HttpStatus.BAD_REQUEST,
        'EVALUATION_INCOMPLETE',
        { id: 'Beri nilai 1-5 untuk setiap butir, masing-masing sekali.', en: 'Rate every item 1-5, each once.' },
        { ratings: [...missing.map((m) => `missing: ${m}`), ...unknown.map((u) => `unknown: ${u}`)] },
      );
    }
    const saved = await this.repository.submit(
      course._id,
      actor.id,
      items.map((i) => ({ itemId: i.id, value: given.get(i.id)! })),
      dto.comment ?? '',
    );
    if (!saved) {
      throw new AppException(HttpStatus.CONFLICT, 'EVALUATION_ALREADY_SUBMITTED', {
        id: 'Evaluasi sudah Anda kirim.',
        en: 'You have already submitted the evaluation.',
      });
    }
    await this.requirements.recheck(course, actor.id);
    return { courseId, submitted: true };
  }

  /**
   * Averages per item and category, and the comments, never who wrote them. Admin and the course's trainers.
   * With fewer than EVALUATION_MIN_RESPONSES responses only the count is given.
   */
  async report(actor: AuthUser, courseId: string): Promise<EvaluationReportDto> {
    const course = await this.access.forStaff(actor, courseId);
    const items = await this.items(course);
    const all = await this.repository.responsesOf(course._id);
    const enrolled = await this.enrollments.countByStatus(course._id, 'enrolled');
    const withheld = all.length < EVALUATION_MIN_RESPONSES;
    const responses = withheld ? [] : all;
    const perItem = items.map((item) => {
      const values = responses.flatMap((r) => r.ratings.filter((x) => x.itemId === item.id).map((x) => x.value));
      const distribution = [1, 2, 3, 4, 5].map((v) => values.filter((x) => x === v).length);
      return {
        ...item,
        count: values.length,
        average: values.length ? round2(values.reduce((a, b) => a + b, 0) / values.length) : null,
        distribution,
      };
    });
    const categories = EVALUATION_CATEGORIES.map((category) => {
      const values = responses.flatMap((r) =>
        r.ratings.filter((x) => items.find((i) => i.id === x.itemId)?.category === category).map((x) => x.value),
      );
      return { category, average: values.length ? round2(values.reduce((a, b) => a + b, 0) / values.length) : null };
    });
    return {
      courseId,
      responses: all.length,
      enrolled,
      minResponses: EVALUATION_MIN_RESPONSES,
      withheld,
      items: perItem,
      categories,
      comments: responses.map((r) => r.comment).filter((c) => c.trim().length > 0),
    };
  }

  private async items(course: CourseRecord) {
    const stored = await this.repository.form(course._id);
    const items = stored?.items.length ? stored.items : DEFAULT_EVALUATION_ITEMS;
    return items.map((i) => ({ id: i.id, category: i.category, text: i.text }));
  }
}
