/**
 * This node's heartbeat (a lease in Redis) and the recovery of attendance
 * after a crash:
 * - at start-up, the intervals this node id still has open in Redis (left by
 *   a crashed previous run) are adopted: closed at the previous run's last
 *   heartbeat unless the person is back within the reconnect grace;
 * - every beat, a node whose lease expired (it stopped answering) has its open
 *   intervals closed by whichever survivor takes the recovery lock, at the time
 *   of its last heartbeat, and its room claims freed so its rooms can move.
 * Nothing here must ever open an interval or report a time later than the
 * person's own action.
 */
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RedisClient } from '@balai/common';
import type { LiveAppEnv } from '../config/live-config';
import { RoomNodeMap } from '../rooms/room-node-map.service';
import { AttendanceService } from './attendance.service';
import { PresenceStore } from './presence.store';

@Injectable()
export class AttendanceRecovery implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AttendanceRecovery.name);
  private readonly leaseMs: number;
  private timer?: NodeJS.Timeout;
  private adopted = false;
  private ticking?: Promise<void>;

  constructor(
    private readonly attendance: AttendanceService,
    private readonly store: PresenceStore,
    private readonly nodeMap: RoomNodeMap,
    redis: RedisClient,
    config: ConfigService<LiveAppEnv, true>,
  ) {
    this.leaseMs = config.get('LIVE_NODE_LEASE_MS', { infer: true });
    // Connection errors are logged once per outage (ioredis reconnects by itself); commands fail fast meanwhile.
    let reported = false;
    redis.client.on('error', (error: Error) => {
      if (!reported) this.logger.warn({ err: error }, 'Redis unreachable; live commands fail fast until it is back');
      reported = true;
    });
    redis.client.on('ready', () => (reported = false));
  }

  private get nodeId(): string {
    return this.attendance.nodeId;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), Math.max(200, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    // A clean stop has reported every leave (AttendanceService.onModuleDestroy): nothing to recover.
    await this.store.forgetNode(this.nodeId).catch(() => undefined);
  }

  /** One heartbeat; also adopts (once) and recovers. Never throws. */
  tick(): Promise<void> {
    this.ticking ??= this.beatAndRecover()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'attendance heartbeat failed; will retry'))
      .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async beatAndRecover(): Promise<void> {
    const now = Date.now();
    if (!this.adopted) {
      const previousBeat = await this.store.lastBeat(this.nodeId);
      await this.store.beat(this.nodeId, now, this.leaseMs);
      const orphans = await this.store.openOn(this.nodeId);
      if (orphans.length) {
        const stoppedAt = new Date(previousBeat ?? now);
        this.attendance.adopt(orphans, stoppedAt);
        this.logger.warn({ count: orphans.length, stoppedAt }, 'adopted open attendance intervals of the previous run');
      }
      this.adopted = true;
    } else {
      await this.store.beat(this.nodeId, now, this.leaseMs);
    }
    await this.attendance.settle();
    for (const { nodeId, lastBeat } of await this.store.silentNodes(now, this.leaseMs)) {
      if (nodeId === this.nodeId || !(await this.store.lockRecovery(nodeId, this.leaseMs))) continue;
      const intervals = await this.store.openOn(nodeId);
      const closed = await this.attendance.recover(nodeId, intervals, new Date(lastBeat));
      // Its rooms can be hosted elsewhere now, without waiting for the claims to expire.
      for (const sessionId of new Set(intervals.map((i) => i.sessionId)))
        await this.nodeMap.releaseFor(nodeId, sessionId);
      await this.store.forgetNode(nodeId);
      this.logger.warn(
        { deadNode: nodeId, closed, stoppedAt: new Date(lastBeat) },
        'closed the open intervals of a silent live node',
      );
    }
  }
}
