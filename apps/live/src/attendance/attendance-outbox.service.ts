/**
 * Durable delivery of attendance events to the API. Events are appended to a
 * Redis list first (so a crash or an API outage loses nothing) and a drain loop
 * POSTs them in order, removing each only after a 2xx (or a 4xx, which retrying
 * cannot fix: logged and dropped). The API is idempotent by `eventId`, so
 * at-least-once delivery here records each event exactly once there.
 * While Redis is unreachable, events wait in a bounded in-process buffer and
 * are delivered from there (their `at` is the person's action, not the time
 * Redis came back).
 */
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RedisClient } from '@balai/common';
import { ATTENDANCE_EVENTS_PATH, AttendanceEvent, INTERNAL_TOKEN_HEADER } from '@balai/domain';
import type { LiveAppEnv } from '../config/live-config';

const OUTBOX_KEY = 'attendance:outbox';
/** Events kept in memory while Redis is down; beyond this the oldest go (and are logged). */
const LOCAL_LIMIT = 50_000;
/** How long a clean stop waits for queued events to reach the API before leaving them to the next node. */
const SHUTDOWN_DRAIN_MS = 3_000;

@Injectable()
export class AttendanceOutbox implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AttendanceOutbox.name);
  private readonly url: string;
  private readonly token: string;
  private readonly retryMs: number;
  private timer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private stopped = false;
  /** An event arrived while a drain was finishing: drain once more (else it would wait for the next event). */
  private again = false;
  private readonly local: string[] = [];

  constructor(
    private readonly redis: RedisClient,
    config: ConfigService<LiveAppEnv, true>,
  ) {
    this.url = new URL(ATTENDANCE_EVENTS_PATH, config.get('API_INTERNAL_URL', { infer: true })).toString();
    this.token = config.get('INTERNAL_API_TOKEN', { infer: true });
    this.retryMs = config.get('ATTENDANCE_RETRY_MS', { infer: true });
  }

  onApplicationBootstrap(): void {
    // Events left by a previous run (or an API outage) go out first.
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    // A clean stop first delivers what is queued (the leaves AttendanceService recorded on the way down),
    // for a bounded time; whatever is left stays in Redis for the next node to deliver.
    clearTimeout(this.timer);
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      this.flush(),
      new Promise<void>((resolve) => (timeout = setTimeout(resolve, SHUTDOWN_DRAIN_MS))),
    ]);
    clearTimeout(timeout);
    this.stopped = true;
    clearTimeout(this.timer);
    await this.draining;
  }

  /** Never throws: an event that cannot reach Redis is kept in memory and delivered from there. */
  async enqueue(event: AttendanceEvent): Promise<void> {
    const raw = JSON.stringify(event);
    try {
      await this.redis.client.rpush(OUTBOX_KEY, raw);
    } catch (error) {
      this.logger.warn(
        { err: error, eventId: event.eventId },
        'outbox unreachable; keeping the attendance event in memory',
      );
      this.local.push(raw);
      if (this.local.length > LOCAL_LIMIT) this.logger.error({ dropped: this.local.shift() }, 'in-memory outbox full');
    }
    this.kick();
  }

  async pending(): Promise<number> {
    return this.local.length + (await this.redis.client.llen(OUTBOX_KEY));
  }

  /** Resolves once the outbox is empty or a delivery failed (then a retry is scheduled). */
  async flush(): Promise<void> {
    this.kick();
    // A drain that ends with `again` set starts the next one before this await resumes.
    while (this.draining) await this.draining;
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.again = false;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.again) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.local.length && !this.stopped) {
      if (!(await this.deliver(this.local[0]))) return this.retryLater();
      this.local.shift();
    }
    for (;;) {
      if (this.stopped) return;
      let head: string | null;
      try {
        head = await this.redis.client.lindex(OUTBOX_KEY, 0);
      } catch {
        return this.retryLater(); // Redis is down: look again once it may be back
      }
      if (head === null) return;
      const delivered = await this.deliver(head);
      if (!delivered) return this.retryLater();
      // Remove exactly the entry we sent (another node may drain the same list).
      await this.redis.client.lrem(OUTBOX_KEY, 1, head).catch(() => undefined);
    }
  }

  private retryLater(): void {
    this.timer = setTimeout(() => this.kick(), this.retryMs);
    this.timer.unref();
  }

  /** true = done with this entry (stored, or permanently refused); false = retry later. */
  private async deliver(raw: string): Promise<boolean> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: this.token },
        body: raw,
        signal: AbortSignal.timeout(5000),
      });
    } catch (error) {
      this.logger.warn({ err: error, url: this.url }, 'attendance API unreachable; will retry');
      return false;
    }
    if (response.ok) return true;
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
      this.logger.error({ status: response.status, event: raw }, 'attendance event refused by the API; dropped');
      return true;
    }
    this.logger.warn({ status: response.status }, 'attendance API error; will retry');
    return false;
  }
}
