/**
 * What a training changed, for the Dinas: pre and post score per participant,
 * gain and normalised gain per course and by sector and kecamatan, and each
 * question's correct rate (a question almost nobody gets right, even after the
 * training, is usually a bad question). Admin and the course's trainers.
 */
import { Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import type { AuthUser } from '@balai/common';
import { gain, normalizedGain, scoreAnswer, summarizeGain } from '@balai/domain/assessment';
import { CourseAccess } from '../courses/course-access';
import { EnrollmentRepository } from '../enrollments/enrollment.repository';
import { AssessmentFactsRepository } from './assessment-facts.repository';
import { AttemptRepository } from './attempt.repository';
import { CertificateRequirements } from './certificate-requirements.service';
import type { AssessmentReportDto, GainGroupDto, ParticipantScoreDto, QuestionStatDto } from './dto/report.dto';
import { QuestionRepository } from './question.repository';
import { TestsService } from './tests.service';

@Injectable()
export class AssessmentReportService {
  constructor(
    private readonly access: CourseAccess,
    private readonly enrollments: EnrollmentRepository,
    private readonly attempts: AttemptRepository,
    private readonly questions: QuestionRepository,
    private readonly tests: TestsService,
    private readonly requirements: CertificateRequirements,
    private readonly stored: AssessmentFactsRepository,
  ) {}

  async report(actor: AuthUser, courseId: string, now = new Date()): Promise<AssessmentReportDto> {
    const course = await this.access.forStaff(actor, courseId);
    const enrolled = await this.enrollments.byCourse(course._id, ['enrolled']);
    const userIds = enrolled.map((e) => e.userId);
    const people = await this.stored.people(userIds);
    const byId = new Map(people.map((u) => [u._id.toHexString(), u]));
    const attempts = await this.tests.closeExpired(await this.attempts.byCourse(course._id), now);
    const submitted = attempts.filter((a) => a.submittedAt && typeof a.percent === 'number');
    const pre = new Map<string, { number: number; percent: number }>();
    const post = new Map<string, number>();
    for (const a of submitted) {
      const uid = a.userId.toHexString();
      if (a.kind === 'pre') {
        const first = pre.get(uid);
        if (!first || a.number < first.number) pre.set(uid, { number: a.number, percent: a.percent! });
      } else post.set(uid, Math.max(post.get(uid) ?? -1, a.percent!));
    }
    const reqs = new Map((await this.requirements.forParticipants(course)).map((r) => [r.userId, r]));
    const participants: ParticipantScoreDto[] = userIds
      .map((id) => id.toHexString())
      .map((uid) => {
        const u = byId.get(uid);
        const p = pre.get(uid)?.percent ?? null;
        const q = post.get(uid) ?? null;
        const r = reqs.get(uid);
        return {
          userId: uid,
          name: u?.name ?? '',
          businessName: u?.ikm?.businessName,
          sector: u?.ikm?.sector,
          kecamatan: u?.ikm?.kecamatan,
          prePercent: p,
          postPercent: q,
          gain: p !== null && q !== null ? gain(p, q) : null,
          normalizedGain: p !== null && q !== null ? normalizedGain(p, q) : null,
          attendancePercent: r?.attendancePercent ?? 0,
          evaluationSubmitted: r?.evaluationSubmitted ?? false,
          certificateEligible: r?.eligible ?? false,
          certificateReasons: r?.reasons ?? [],
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name, 'id'));
    const pairs = participants.map((p) => ({ pre: p.prePercent, post: p.postPercent }));
    const grouped = (key: 'sector' | 'kecamatan'): GainGroupDto[] => {
      const groups = new Map<string, typeof participants>();
      for (const p of participants) {
        const g = p[key] ?? '-';
        groups.set(g, [...(groups.get(g) ?? []), p]);
      }
      return [...groups.entries()]
        .map(([group, rows]) => ({
          group,
          ...summarizeGain(rows.map((r) => ({ pre: r.prePercent, post: r.postPercent }))),
        }))
        .sort((a, b) => a.group.localeCompare(b.group, 'id'));
    };
    return {
      courseId,
      code: course.code,
      title: course.title,
      summary: summarizeGain(pairs),
      bySector: grouped('sector'),
      byKecamatan: grouped('kecamatan'),
      participants,
      questions: await this.questionStats(course._id, submitted),
    };
  }

  private async questionStats(
    courseId: Types.ObjectId,
    submitted: Awaited<ReturnType<AttemptRepository['byCourse']>>,
  ): Promise<QuestionStatDto[]> {
    const bank = await this.questions.byCourse(courseId);
    const answers = submitted.length ? await this.attempts.answersOfAttempts(submitted.map((a) => a._id)) : [];
    const byAttempt = new Map<string, Map<string, { optionIds: string[]; savedAt: Date }>>();
    for (const a of answers) {
      const key = a.attemptId.toHexString();
      const m = byAttempt.get(key) ?? new Map<string, { optionIds: string[]; savedAt: Date }>();
      m.set(a.questionId, a);
      byAttempt.set(key, m);
    }
    const stats = new Map<string, { text: string; pre: [number, number]; post: [number, number] }>();
    for (const q of bank) stats.set(q._id.toHexString(), { text: q.text, pre: [0, 0], post: [0, 0] });
    for (const attempt of submitted) {
      const saved = byAttempt.get(attempt._id.toHexString());
      for (const q of attempt.questions) {
        const s = stats.get(q.id) ?? {
          text: q.text,
          pre: [0, 0] as [number, number],
          post: [0, 0] as [number, number],
        };
        stats.set(q.id, s);
        const a = saved?.get(q.id);
        const inTime = a && a.savedAt.getTime() <= attempt.deadlineAt.getTime() ? a.optionIds : [];
        const cell = s[attempt.kind];
        cell[0] += 1;
        if (scoreAnswer(q, inTime) === q.points) cell[1] += 1;
      }
    }
    const rate = ([n, ok]: [number, number]) => (n ? Math.round((ok / n) * 1000) / 10 : null);
    return [...stats.entries()].map(([questionId, s]) => ({
      questionId,
      text: s.text,
      preAnswered: s.pre[0],
      preCorrectPercent: rate(s.pre),
      postAnswered: s.post[0],
      postCorrectPercent: rate(s.post),
    }));
  }
}
