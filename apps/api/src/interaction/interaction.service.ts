/**
 * The REST side of issue 12: polls prepared on the course page before a
 * session, and the Q&A and poll results of a session afterwards (on the
 * session page and as CSV). Course staff (admin, the course's trainers) see
 * everything; an enrolled participant sees what the room showed them:
 * anonymous askers hidden, dismissed questions left out, and poll counts only
 * where the host revealed them.
 */
import { Injectable } from '@nestjs/common';
import type { AuthUser } from '@balai/common';
import { CourseAccess } from '../courses/course-access';
import { notFound } from '../common/errors';
import { SessionRepository } from '../sessions/session.repository';
import { CreatePollDto, PollDto, SessionInteractionDto, SessionQuestionDto } from './dto/interaction.dto';
import { InteractionRepository, PollDoc } from './interaction.repository';

const SESSION_NOT_FOUND = { id: 'Sesi tidak ditemukan.', en: 'Session not found.' };
const POLL_NOT_FOUND = { id: 'Polling tidak ditemukan.', en: 'Poll not found.' };

function pollDto(p: PollDoc, counts: number[] | null, voters: number | null): PollDto {
  return {
    id: String(p._id),
    question: p.question,
    options: [...p.options],
    multiple: !!p.multiple,
    allowChange: p.allowChange !== false,
    status: p.status as PollDto['status'],
    revealed: !!p.revealed,
    counts,
    voters,
    openedAt: p.openedAt?.toISOString() ?? null,
    closedAt: p.closedAt?.toISOString() ?? null,
  };
}

@Injectable()
export class InteractionService {
  constructor(
    private readonly repository: InteractionRepository,
    private readonly access: CourseAccess,
    private readonly sessions: SessionRepository,
  ) {}

  async listPrepared(actor: AuthUser, courseId: string): Promise<PollDto[]> {
    await this.access.forStaff(actor, courseId);
    return (await this.repository.preparedPolls(courseId)).map((p) => pollDto(p, null, null));
  }

  async createPrepared(actor: AuthUser, courseId: string, dto: CreatePollDto): Promise<PollDto> {
    await this.access.forStaff(actor, courseId);
    const poll = await this.repository.createPrepared(courseId, actor.id, {
      question: dto.question,
      options: dto.options,
      multiple: dto.multiple ?? false,
      allowChange: dto.allowChange ?? true,
    });
    return pollDto(poll, null, null);
  }

  async deletePrepared(actor: AuthUser, courseId: string, pollId: string): Promise<void> {
    await this.access.forStaff(actor, courseId);
    if (!(await this.repository.deletePrepared(courseId, pollId))) throw notFound(POLL_NOT_FOUND);
  }

  /** The session's Q&A and poll results as `actor` may see them; `staffOnly` for the exports. */
  async sessionReport(actor: AuthUser, sessionId: string, staffOnly = false): Promise<SessionInteractionDto> {
    const session = await this.sessions.findById(sessionId);
    if (!session) throw notFound(SESSION_NOT_FOUND);
    const courseId = String(session.courseId);
    const course = staffOnly
      ? await this.access.forStaff(actor, courseId)
      : await this.access.forMember(actor, courseId, true);
    const staff = actor.role === 'admin' || this.access.isTrainerOf(actor, course);

    const [questions, upvotes, polls] = await Promise.all([
      this.repository.sessionQuestions(sessionId),
      this.repository.upvoteCounts(sessionId),
      this.repository.sessionPolls(sessionId),
    ]);
    const questionDtos: SessionQuestionDto[] = questions
      .filter((q) => staff || q.status !== 'dismissed')
      .map((q) => ({
        id: String(q._id),
        text: q.text,
        anonymous: !!q.anonymous,
        authorName: q.anonymous && !staff ? null : q.name,
        status: q.status as SessionQuestionDto['status'],
        answer: q.answer ?? null,
        upvotes: upvotes.get(String(q._id)) ?? 0,
        pinned: !!q.pinned,
        askedAt: q.createdAt.toISOString(),
      }))
      .sort((a, b) => b.upvotes - a.upvotes || a.askedAt.localeCompare(b.askedAt));

    const pollDtos: PollDto[] = [];
    for (const p of polls) {
      let counts: number[] | null = null;
      let voters: number | null = null;
      if (staff || p.revealed) {
        if (p.status === 'closed' && p.counts?.length) {
          counts = [...p.counts];
          voters = p.voters ?? 0;
        } else {
          // Still open (or closed by a node that died before it stored the count): count the stored votes.
          const votes = await this.repository.pollVotes(p._id);
          counts = p.options.map(() => 0);
          for (const choices of votes) for (const c of choices) if (c < counts.length) counts[c] += 1;
          voters = votes.length;
        }
      }
      pollDtos.push(pollDto(p, counts, voters));
    }
    pollDtos.sort((a, b) => (b.openedAt ?? '').localeCompare(a.openedAt ?? ''));
    return { sessionId, courseId, questions: questionDtos, polls: pollDtos };
  }
}
