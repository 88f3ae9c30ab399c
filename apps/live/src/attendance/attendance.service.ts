/**
 * Presence -> attendance events. Each user's stay in a session is one
 * interval: `join` when they first enter, `leave` when they go. A dropped
 * connection starts a grace timer instead of leaving; reconnecting within it
 * continues the same interval (no events), otherwise the leave is reported with
 * the instant the connection dropped. Each join and leave is enqueued exactly
 * once, in the durable outbox.
 *
 * The open intervals are also recorded in Redis with the node that answers for
 * them (PresenceStore), so they survive this process: after a crash the
 * restarted node adopts its own (the grace rule applies from its last
 * heartbeat) and a surviving node closes those of a node that stopped
 * answering, at the time it stopped. A rejoin on any node continues the open
 * interval. Times are those of the person's action, never of a late Redis.
 * Each leave names the join that opened its interval (`joinEventId`, kept in
 * memory and in the presence record), so the API reaches the interval by its
 * derived id instead of searching for it.
 */
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { resolveNodeId } from '../cluster/node-id';
import type { LiveAppEnv } from '../config/live-config';
import { AttendanceOutbox } from './attendance-outbox.service';
import { OpenInterval, PresenceStore } from './presence.store';

export type LeaveReason = 'left' | 'disconnected' | 'removed' | 'session-ended' | 'node-shutdown' | 'node-lost';

interface Presence {
  sessionId: string;
  userId: string;
  /** The join that opened this interval, when known. */
  joinEventId?: string;
  graceTimer?: NodeJS.Timeout;
  droppedAt?: Date;
}

@Injectable()
export class AttendanceService implements OnModuleDestroy {
  private readonly logger = new Logger(AttendanceService.name);
  private readonly present = new Map<string, Presence>();
  /** Intervals reported closed while Redis was unreachable: their Redis record is removed later. */
  private readonly unsettled = new Map<string, { interval: OpenInterval; owner: string | null }>();
  private readonly graceMs: number;
  readonly nodeId: string;

  constructor(
    private readonly outbox: AttendanceOutbox,
    private readonly store: PresenceStore,
    config: ConfigService<LiveAppEnv, true>,
  ) {
    this.graceMs = config.get('LIVE_RECONNECT_GRACE_SECONDS', { infer: true }) * 1000;
    this.nodeId = resolveNodeId(config);
  }

  private key(sessionId: string, userId: string): string {
    return `${sessionId}:${userId}`;
  }

  isPresent(sessionId: string, userId: string): boolean {
    return this.present.has(this.key(sessionId, userId));
  }

  /** The user entered at `at`. Throws (nothing recorded) when Redis is unreachable. */
  async entered(sessionId: string, userId: string, at = new Date()): Promise<void> {
    const key = this.key(sessionId, userId);
    const presence = this.present.get(key);
    if (presence) {
      // Back within the grace period (or a second tab): same interval.
      clearTimeout(presence.graceTimer);
      presence.graceTimer = undefined;
      presence.droppedAt = undefined;
      return;
    }
    // A leave reported while Redis was down must be settled first, or this stay would "continue" it.
    await this.settleOne(key);
    const eventId = randomUUID();
    const opened = await this.store.open(this.nodeId, sessionId, userId, at, eventId);
    // A continued interval keeps the id of the join that opened it (unknown if the record predates it).
    const joinEventId =
      opened.outcome === 'opened' ? eventId : opened.joinEventId === eventId ? undefined : opened.joinEventId;
    this.present.set(key, { sessionId, userId, joinEventId });
    if (opened.outcome === 'opened') {
      await this.outbox.enqueue({ eventId, type: 'join', sessionId, userId, at: at.toISOString() });
    }
  }

  /** The connection dropped: leave only if they are not back within the grace period. */
  dropped(sessionId: string, userId: string, at = new Date()): void {
    const presence = this.present.get(this.key(sessionId, userId));
    if (!presence || presence.graceTimer) return;
    presence.droppedAt = at;
    this.startGrace(presence, this.graceMs);
  }

  private startGrace(presence: Presence, ms: number): void {
    presence.graceTimer = setTimeout(() => void this.left(presence.sessionId, presence.userId, 'disconnected'), ms);
    presence.graceTimer.unref();
  }

  async left(sessionId: string, userId: string, reason: LeaveReason, at = new Date()): Promise<void> {
    const key = this.key(sessionId, userId);
    const presence = this.present.get(key);
    if (!presence) return;
    this.present.delete(key);
    clearTimeout(presence.graceTimer);
    await this.closeAndReport(
      this.nodeId,
      { sessionId, userId, joinEventId: presence.joinEventId },
      reason,
      presence.droppedAt ?? at,
    );
  }

  /**
   * "Keluar kelas" from a connection that is not (or no longer) in the room,
   * e.g. after a restart: the user's open interval is closed wherever it is.
   */
  async leftExplicitly(sessionId: string, userId: string, at = new Date()): Promise<void> {
    if (this.isPresent(sessionId, userId)) return this.left(sessionId, userId, 'left', at);
    await this.closeAndReport(null, { sessionId, userId }, 'left', at);
  }

  /** Everyone still present in a session leaves (the session ended or its room closed). */
  async sessionClosed(sessionId: string, reason: LeaveReason): Promise<void> {
    const inSession = [...this.present.values()].filter((p) => p.sessionId === sessionId);
    for (const presence of inSession) await this.left(presence.sessionId, presence.userId, reason);
  }

  /**
   * Intervals this node had open before it restarted: treated as dropped at
   * its last heartbeat, so a rejoin within the grace continues them and the
   * others are closed at that instant.
   */
  adopt(intervals: OpenInterval[], droppedAt: Date): void {
    for (const { sessionId, userId, joinEventId } of intervals) {
      const key = this.key(sessionId, userId);
      if (this.present.has(key)) continue;
      const presence: Presence = { sessionId, userId, joinEventId, droppedAt };
      this.present.set(key, presence);
      this.startGrace(presence, Math.max(0, this.graceMs - (Date.now() - droppedAt.getTime())));
    }
  }

  /** Closes the open intervals of a node that stopped answering, at the time it stopped. */
  async recover(nodeId: string, intervals: OpenInterval[], stoppedAt: Date): Promise<number> {
    let closed = 0;
    for (const interval of intervals) {
      if (await this.closeAndReport(nodeId, interval, 'node-lost', stoppedAt)) closed += 1;
    }
    return closed;
  }

  /** Retries removing Redis records of intervals closed while Redis was down. */
  async settle(): Promise<void> {
    for (const key of [...this.unsettled.keys()]) await this.settleOne(key);
  }

  private async settleOne(key: string): Promise<void> {
    const entry = this.unsettled.get(key);
    if (!entry) return;
    await this.store.close(entry.owner, entry.interval.sessionId, entry.interval.userId);
    this.unsettled.delete(key);
  }

  /**
   * Closes the interval in Redis (compare-and-delete on `owner`, or any owner
   * with null) and reports the leave once. If Redis is unreachable the leave
   * is still reported (the person did leave) and the record removed later.
   */
  private async closeAndReport(
    owner: string | null,
    interval: OpenInterval,
    reason: LeaveReason,
    at: Date,
  ): Promise<boolean> {
    const { sessionId, userId } = interval;
    let closed: OpenInterval | null;
    try {
      closed = await this.store.close(owner, sessionId, userId);
    } catch (error) {
      this.logger.warn({ err: error, sessionId, userId }, 'presence store unreachable; reporting the leave anyway');
      if (owner === this.nodeId || owner === null) this.unsettled.set(this.key(sessionId, userId), { interval, owner });
      closed = interval;
    }
    if (closed) {
      const joinEventId = closed.joinEventId ?? interval.joinEventId;
      await this.outbox.enqueue({
        eventId: randomUUID(),
        type: 'leave',
        sessionId,
        userId,
        at: at.toISOString(),
        reason,
        ...(joinEventId ? { joinEventId } : {}),
      });
    }
    return !!closed;
  }

  async onModuleDestroy(): Promise<void> {
    for (const presence of [...this.present.values()]) {
      await this.left(presence.sessionId, presence.userId, 'node-shutdown').catch(() => undefined);
    }
  }
}
