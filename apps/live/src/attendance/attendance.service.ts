/**
 * Presence -> attendance events. Each user's stay in a session is one
 * interval: `join` when they first enter, `leave` when they go. A dropped
 * connection starts a grace timer instead of leaving; reconnecting within it
 * continues the same interval (no events), otherwise the leave is reported with
 * the instant the connection dropped. Each join and leave is enqueued exactly
 * once, in the durable outbox.
 */
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import type { LiveAppEnv } from '../config/live-config';
import { AttendanceOutbox } from './attendance-outbox.service';

export type LeaveReason = 'left' | 'disconnected' | 'removed' | 'session-ended' | 'node-shutdown';

interface Presence {
  sessionId: string;
  userId: string;
  graceTimer?: NodeJS.Timeout;
  droppedAt?: Date;
}

@Injectable()
export class AttendanceService implements OnModuleDestroy {
  private readonly present = new Map<string, Presence>();
  private readonly graceMs: number;

  constructor(
    private readonly outbox: AttendanceOutbox,
    config: ConfigService<LiveAppEnv, true>,
  ) {
    this.graceMs = config.get('LIVE_RECONNECT_GRACE_SECONDS', { infer: true }) * 1000;
  }

  private key(sessionId: string, userId: string): string {
    return `${sessionId}:${userId}`;
  }

  isPresent(sessionId: string, userId: string): boolean {
    return this.present.has(this.key(sessionId, userId));
  }

  async entered(sessionId: string, userId: string): Promise<void> {
    const key = this.key(sessionId, userId);
    const presence = this.present.get(key);
    if (presence) {
      // Back within the grace period (or a second tab): same interval.
      clearTimeout(presence.graceTimer);
      presence.graceTimer = undefined;
      presence.droppedAt = undefined;
      return;
    }
    this.present.set(key, { sessionId, userId });
    await this.outbox.enqueue({ eventId: randomUUID(), type: 'join', sessionId, userId, at: new Date().toISOString() });
  }

  /** The connection dropped: leave only if they are not back within the grace period. */
  dropped(sessionId: string, userId: string): void {
    const presence = this.present.get(this.key(sessionId, userId));
    if (!presence || presence.graceTimer) return;
    presence.droppedAt = new Date();
    presence.graceTimer = setTimeout(() => void this.left(sessionId, userId, 'disconnected'), this.graceMs);
    presence.graceTimer.unref();
  }

  async left(sessionId: string, userId: string, reason: LeaveReason): Promise<void> {
    const key = this.key(sessionId, userId);
    const presence = this.present.get(key);
    if (!presence) return;
    this.present.delete(key);
    clearTimeout(presence.graceTimer);
    const at = (presence.droppedAt ?? new Date()).toISOString();
    await this.outbox.enqueue({ eventId: randomUUID(), type: 'leave', sessionId, userId, at, reason });
  }

  /** Everyone still present in a session leaves (the session ended or its room closed). */
  async sessionClosed(sessionId: string, reason: LeaveReason): Promise<void> {
    const inSession = [...this.present.values()].filter((p) => p.sessionId === sessionId);
    for (const presence of inSession) await this.left(presence.sessionId, presence.userId, reason);
  }

  async onModuleDestroy(): Promise<void> {
    for (const presence of [...this.present.values()]) {
      await this.left(presence.sessionId, presence.userId, 'node-shutdown').catch(() => undefined);
    }
  }
}
