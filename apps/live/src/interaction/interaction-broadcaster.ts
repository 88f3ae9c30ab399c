/**
 * Vote and upvote counts go out at most once per FLUSH_MS per session, never
 * once per vote: a vote marks its poll or question dirty, and the first mark
 * of a quiet session starts a timer that reads the current counts from Redis
 * and sends one notification per changed poll and one with all changed
 * question counts. Poll counts go to staff, and to everyone once revealed.
 */
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InteractionCache } from './interaction.cache';
import { InteractionChannels } from './interaction-channels';
import { InteractionCountsStore } from './interaction-counts.store';

/** At most 4 pushes per second per session and kind. */
export const FLUSH_MS = 250;

interface Pending {
  questions: Set<string>;
  polls: Set<string>;
  timer: NodeJS.Timeout;
}

@Injectable()
export class InteractionBroadcaster implements OnModuleDestroy {
  private readonly logger = new Logger(InteractionBroadcaster.name);
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly counts: InteractionCountsStore,
    private readonly cache: InteractionCache,
    private readonly channels: InteractionChannels,
  ) {}

  onModuleDestroy(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }

  questionChanged(sessionId: string, questionId: string): void {
    this.entry(sessionId).questions.add(questionId);
  }

  pollChanged(sessionId: string, pollId: string): void {
    this.entry(sessionId).polls.add(pollId);
  }

  private entry(sessionId: string): Pending {
    let p = this.pending.get(sessionId);
    if (!p) {
      const timer = setTimeout(() => void this.flush(sessionId), FLUSH_MS);
      p = { questions: new Set(), polls: new Set(), timer };
      this.pending.set(sessionId, p);
    }
    return p;
  }

  private async flush(sessionId: string): Promise<void> {
    const p = this.pending.get(sessionId);
    if (!p) return;
    this.pending.delete(sessionId);
    try {
      if (p.questions.size) {
        const counts = await this.counts.upvoteCounts(sessionId, [...p.questions]);
        this.channels.toAll(sessionId, 'qna:votes', { counts });
      }
      if (p.polls.size) {
        const state = await this.cache.get(sessionId);
        for (const pollId of p.polls) {
          const poll = state.polls.get(pollId);
          if (!poll || poll.status !== 'open') continue;
          const live = await this.counts.pollCounts(pollId, poll.options.length);
          const notice = { pollId, ...live };
          if (poll.revealed) this.channels.toAll(sessionId, 'poll:counts', notice);
          else this.channels.toStaff(sessionId, 'poll:counts', notice);
        }
      }
    } catch (error) {
      // Redis away: the next change pushes the counts again; nothing to undo.
      this.logger.warn({ err: error, sessionId }, 'could not push interaction counts');
    }
  }
}
