/**
 * Q&A of a session, separate from chat: ask (length- and rate-limited,
 * optionally anonymous towards participants), upvote once and take it back,
 * and the staff's answer / dismiss / pin. Questions are stored before anyone
 * is told, so they survive reconnects and live process restarts.
 */
import { Injectable, Logger } from '@nestjs/common';
import { LiveErrorCode, QuestionInfo } from '@balai/live-contract';
import type { Peer } from '../rooms/peer';
import type { Room } from '../rooms/room';
import { badState, forbidden, LiveException, notFound } from '../signalling/live.exception';
import { InteractionBroadcaster } from './interaction-broadcaster';
import { InteractionCache } from './interaction.cache';
import { InteractionChannels } from './interaction-channels';
import { InteractionCountsStore } from './interaction-counts.store';
import { InteractionRateLimiter } from './interaction-rate-limiter';
import { InteractionRepository, QuestionRecord } from './interaction.repository';
import { questionView } from './interaction-views';
import { KeyedQueue } from './keyed-queue';

@Injectable()
export class QnaService {
  private readonly logger = new Logger(QnaService.name);
  private readonly queue = new KeyedQueue();
  private readonly persistQueue = new KeyedQueue();
  /** Database writes of upvotes not yet done, per session. */
  private readonly pending = new Map<string, Set<Promise<void>>>();
  private readonly rebuilding = new Map<string, Promise<void>>();

  constructor(
    private readonly repository: InteractionRepository,
    private readonly cache: InteractionCache,
    private readonly counts: InteractionCountsStore,
    private readonly limiter: InteractionRateLimiter,
    private readonly channels: InteractionChannels,
    private readonly broadcaster: InteractionBroadcaster,
  ) {}

  async ask(room: Room, peer: Peer, text: string, anonymous: boolean, at = new Date()): Promise<QuestionInfo> {
    if (!(await this.limiter.allowQuestion(room.sessionId, peer.userId))) {
      throw new LiveException(LiveErrorCode.RateLimited, 'you are asking questions too fast');
    }
    const state = await this.cache.get(room.sessionId);
    const q = await this.repository.addQuestion(
      room.sessionId,
      room.session.courseId,
      { id: peer.userId, name: peer.name },
      text,
      anonymous,
      at,
    );
    state.questions.set(q.id, q);
    // The session's live upvote state exists before anyone can upvote (no rebuild on the first upvotes).
    if (!(await this.counts.hasQna(room.sessionId))) await this.rebuild(room);
    this.announce(room.sessionId, q, 0);
    return questionView(q, 0, peer.isStaff ? 'staff' : 'participant');
  }

  async upvote(
    room: Room,
    peer: Peer,
    questionId: string,
    up: boolean,
  ): Promise<{ questionId: string; upvoted: boolean }> {
    const q = await this.question(room, questionId);
    if (up && q.status === 'dismissed') throw badState('this question was dismissed');
    return this.queue.run(`${questionId}:${peer.userId}`, async () => {
      let result = await this.counts.upvote(room.sessionId, questionId, peer.userId, up);
      if (result.missing) {
        await this.rebuild(room);
        result = await this.counts.upvote(room.sessionId, questionId, peer.userId, up);
      }
      if (result.missing) throw new LiveException(LiveErrorCode.Unavailable, 'please try again');
      if (result.changed) {
        this.persistUpvote(room.sessionId, questionId, peer.userId, up);
        this.broadcaster.questionChanged(room.sessionId, questionId);
      }
      return { questionId, upvoted: up };
    });
  }

  /**
   * The upvote is acknowledged once the live counts (Redis, atomic, one per
   * person) took it; the database follows in the next batch, in order per
   * person and question (an upvote taken back right away is deleted after it
   * was inserted, never before).
   */
  private persistUpvote(sessionId: string, questionId: string, userId: string, up: boolean): void {
    const write = this.persistQueue.run(`${questionId}:${userId}`, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          if (up) await this.repository.addUpvote(sessionId, questionId, userId);
          else await this.repository.removeUpvote(questionId, userId);
          return;
        } catch (error) {
          if (attempt >= 5) {
            this.logger.error({ err: error, questionId, userId, up }, 'could not store an upvote');
            return;
          }
          await new Promise((r) => setTimeout(r, 200 * attempt));
        }
      }
    });
    const pending = this.pending.get(sessionId) ?? new Set<Promise<void>>();
    pending.add(write);
    this.pending.set(sessionId, pending);
    void write.finally(() => pending.delete(write));
  }

  /**
   * The session's live upvote state is missing (its first upvote, or Redis
   * restarted empty): built from the stored upvotes, once at a time per session.
   */
  private rebuild(room: Room): Promise<void> {
    let running = this.rebuilding.get(room.sessionId);
    if (!running) {
      running = (async () => {
        if (await this.counts.hasQna(room.sessionId)) return;
        await Promise.allSettled([...(this.pending.get(room.sessionId) ?? [])]);
        const state = await this.cache.get(room.sessionId);
        const upvotes = await this.repository.sessionUpvotes(room.sessionId);
        await this.counts.resetQna(room.sessionId, [...state.questions.keys()], upvotes);
      })().finally(() => this.rebuilding.delete(room.sessionId));
      this.rebuilding.set(room.sessionId, running);
    }
    return running;
  }

  async answer(room: Room, peer: Peer, questionId: string, answer: string | undefined): Promise<QuestionInfo> {
    this.requireStaff(peer, 'only hosts and moderators answer questions');
    const q = await this.question(room, questionId);
    if (q.status === 'dismissed') throw badState('this question was dismissed');
    await this.repository.updateQuestion(room.sessionId, questionId, {
      status: 'answered',
      answer: answer ?? undefined,
      answeredAt: new Date(),
      handledBy: peer.userId,
    });
    q.status = 'answered';
    if (answer !== undefined) q.answer = answer;
    return this.changed(room, q);
  }

  async dismiss(room: Room, peer: Peer, questionId: string): Promise<QuestionInfo> {
    this.requireStaff(peer, 'only hosts and moderators dismiss questions');
    const q = await this.question(room, questionId);
    const wasPinned = q.pinned;
    await this.repository.updateQuestion(room.sessionId, questionId, {
      status: 'dismissed',
      pinned: false,
      handledBy: peer.userId,
    });
    q.status = 'dismissed';
    q.pinned = false;
    const info = await this.changed(room, q);
    if (wasPinned) this.channels.toAll(room.sessionId, 'qna:pinned', { questionId: null });
    return info;
  }

  async pin(room: Room, peer: Peer, questionId: string | null): Promise<{ questionId: string | null }> {
    this.requireStaff(peer, 'only hosts and moderators pin questions');
    const state = await this.cache.get(room.sessionId);
    if (questionId) {
      const q = await this.question(room, questionId);
      if (q.status === 'dismissed') throw badState('this question was dismissed');
    }
    for (const q of state.questions.values()) {
      if (q.pinned && q.id !== questionId) {
        await this.repository.updateQuestion(room.sessionId, q.id, { pinned: false });
        q.pinned = false;
      }
    }
    if (questionId) {
      await this.repository.updateQuestion(room.sessionId, questionId, { pinned: true });
      state.questions.get(questionId)!.pinned = true;
    }
    this.channels.toAll(room.sessionId, 'qna:pinned', { questionId });
    return { questionId };
  }

  /** The questions as `peer` may see them, sorted by upvotes then time, and their own upvotes and questions. */
  async snapshot(
    room: Room,
    peer: Peer,
  ): Promise<{
    questions: QuestionInfo[];
    pinnedQuestionId: string | null;
    myUpvotes: string[];
    myQuestions: string[];
  }> {
    const state = await this.cache.get(room.sessionId);
    if (state.questions.size && !(await this.counts.hasQna(room.sessionId))) await this.rebuild(room);
    const [counts, myUpvotes] = await Promise.all([
      this.counts.upvoteCounts(room.sessionId),
      this.counts.myUpvotes(room.sessionId, peer.userId),
    ]);
    const audience = peer.isStaff ? 'staff' : 'participant';
    const all = [...state.questions.values()];
    const questions = all
      .filter((q) => peer.isStaff || q.status !== 'dismissed')
      .map((q) => questionView(q, counts[q.id] ?? 0, audience))
      .sort((a, b) => b.upvotes - a.upvotes || a.at.localeCompare(b.at));
    return {
      questions,
      pinnedQuestionId: all.find((q) => q.pinned)?.id ?? null,
      myUpvotes,
      myQuestions: all.filter((q) => q.userId === peer.userId).map((q) => q.id),
    };
  }

  private requireStaff(peer: Peer, message: string): void {
    if (!peer.isStaff) throw forbidden(message);
  }

  private async question(room: Room, questionId: string): Promise<QuestionRecord> {
    const q = (await this.cache.get(room.sessionId)).questions.get(questionId);
    if (!q) throw notFound('unknown question');
    return q;
  }

  private async changed(room: Room, q: QuestionRecord): Promise<QuestionInfo> {
    const upvotes = (await this.counts.upvoteCounts(room.sessionId, [q.id]))[q.id] ?? 0;
    this.announce(room.sessionId, q, upvotes);
    return questionView(q, upvotes, 'staff');
  }

  private announce(sessionId: string, q: QuestionRecord, upvotes: number): void {
    this.channels.toStaff(sessionId, 'qna:question', questionView(q, upvotes, 'staff'));
    this.channels.toParticipants(sessionId, 'qna:question', questionView(q, upvotes, 'participant'));
  }
}
