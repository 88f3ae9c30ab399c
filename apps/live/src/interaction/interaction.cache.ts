/**
 * The questions and polls of the sessions this node hosts, loaded from the
 * database once per session and kept current by the services (which write the
 * database first). A session is hosted by one live node at a time (the room
 * claim), so this node sees every change; a session idle for a minute is
 * forgotten and read again when it comes back (e.g. after moving nodes).
 */
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InteractionRepository, PollRecord, QuestionRecord } from './interaction.repository';

const IDLE_MS = 60_000;

export interface SessionInteraction {
  questions: Map<string, QuestionRecord>;
  polls: Map<string, PollRecord>;
  usedAt: number;
}

@Injectable()
export class InteractionCache implements OnModuleDestroy {
  private readonly sessions = new Map<string, Promise<SessionInteraction>>();
  private readonly sweeper = setInterval(() => void this.sweep(), IDLE_MS);

  constructor(private readonly repository: InteractionRepository) {
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  get(sessionId: string): Promise<SessionInteraction> {
    let entry = this.sessions.get(sessionId);
    if (!entry) {
      entry = this.load(sessionId);
      this.sessions.set(sessionId, entry);
      entry.catch(() => this.sessions.delete(sessionId));
    }
    return entry.then((s) => {
      s.usedAt = Date.now();
      return s;
    });
  }

  private async load(sessionId: string): Promise<SessionInteraction> {
    const [questions, polls] = await Promise.all([
      this.repository.sessionQuestions(sessionId),
      this.repository.sessionPolls(sessionId),
    ]);
    return {
      questions: new Map(questions.map((q) => [q.id, q])),
      polls: new Map(polls.map((p) => [p.id, p])),
      usedAt: Date.now(),
    };
  }

  private async sweep(): Promise<void> {
    for (const [sessionId, entry] of this.sessions) {
      const s = await entry.catch(() => null);
      if (!s || Date.now() - s.usedAt > IDLE_MS) this.sessions.delete(sessionId);
    }
  }
}
