/**
 * Durable delivery of attendance events to the API. Events are appended to a
 * Redis list first (so a crash or an API outage loses nothing) and a drain loop
 * POSTs them in order, in batches of what has queued up meanwhile (at most
 * BATCH_SIZE), removing each event only once the API has answered for it: stored
 * (or a duplicate), or refused for good (a 4xx, which retrying cannot fix:
 * logged and dropped). Events the API could not store this time (`retry`, a
 * 5xx, a timeout) stay at the head and go again after ATTENDANCE_RETRY_MS, so a
 * partial failure redelivers only what is missing. The API is idempotent by
 * `eventId`, so at-least-once delivery here records each event exactly once
 * there. An API without the batch route (404) gets the events one by one, as
 * does a batch the API refuses as malformed (400), so one bad event is dropped
 * alone.
 * While Redis is unreachable, events wait in a bounded in-process buffer and
 * are delivered from there (their `at` is the person's action, not the time
 * Redis came back).
 */
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RedisClient } from '@balai/common';
import {
  ATTENDANCE_BATCH_MAX,
  ATTENDANCE_EVENTS_BATCH_PATH,
  ATTENDANCE_EVENTS_PATH,
  AttendanceBatchResult,
  INTERNAL_TOKEN_HEADER,
} from '@balai/domain';
import type { AttendanceEvent } from '@balai/domain';
import type { LiveAppEnv } from '../config/live-config';

const OUTBOX_KEY = 'attendance:outbox';
/** Events kept in memory while Redis is down; beyond this the oldest go (and are logged). */
const LOCAL_LIMIT = 50_000;
/** How long a clean stop waits for queued events to reach the API before leaving them to the next node. */
const SHUTDOWN_DRAIN_MS = 3_000;
/** Events per POST: whatever queued while the previous batch was in flight, up to this. */
const BATCH_SIZE = Math.min(200, ATTENDANCE_BATCH_MAX);
/** A batch waits this long for the API (one event: 5 s). */
const BATCH_TIMEOUT_MS = 15_000;

@Injectable()
export class AttendanceOutbox implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AttendanceOutbox.name);
  private readonly url: string;
  private readonly batchUrl: string;
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
    this.batchUrl = new URL(ATTENDANCE_EVENTS_BATCH_PATH, config.get('API_INTERNAL_URL', { infer: true })).toString();
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
      const batch = this.local.slice(0, BATCH_SIZE);
      const done = await this.deliverBatch(batch);
      for (let i = this.local.length - 1; i >= 0; i -= 1) if (done.has(this.local[i])) this.local.splice(i, 1);
      if (done.size < batch.length) return this.retryLater();
    }
    for (;;) {
      if (this.stopped) return;
      let batch: string[];
      try {
        batch = await this.redis.client.lrange(OUTBOX_KEY, 0, BATCH_SIZE - 1);
      } catch {
        return this.retryLater(); // Redis is down: look again once it may be back
      }
      if (batch.length === 0) return;
      const done = await this.deliverBatch(batch);
      if (done.size) {
        // Remove exactly the entries that are done (another node may drain the same list); if Redis fails
        // here they are sent again, which the API answers as duplicates.
        const removal = this.redis.client.multi();
        for (const raw of done) removal.lrem(OUTBOX_KEY, 1, raw);
        await removal.exec().catch(() => undefined);
      }
      if (done.size < batch.length) return this.retryLater();
    }
  }

  private retryLater(): void {
    this.timer = setTimeout(() => this.kick(), this.retryMs);
    this.timer.unref();
  }

  /** The entries of `batch` the API is done with (stored, duplicate, or refused for good). */
  private async deliverBatch(batch: string[]): Promise<Set<string>> {
    const done = new Set<string>();
    const events: AttendanceEvent[] = [];
    const raws: string[] = [];
    for (const raw of batch) {
      try {
        events.push(JSON.parse(raw) as AttendanceEvent);
        raws.push(raw);
      } catch {
        this.logger.error({ event: raw }, 'unreadable attendance event in the outbox; dropped');
        done.add(raw);
      }
    }
    if (!events.length) return done;
    let response: Response;
    try {
      response = await fetch(this.batchUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: this.token },
        body: JSON.stringify({ events }),
        signal: AbortSignal.timeout(BATCH_TIMEOUT_MS),
      });
    } catch (error) {
      this.logger.warn(
        { err: error, url: this.batchUrl, events: events.length },
        'attendance API unreachable; will retry',
      );
      return done;
    }
    if (response.status === 200) {
      let body: AttendanceBatchResult | undefined;
      try {
        body = (await response.json()) as AttendanceBatchResult;
      } catch {
        body = undefined;
      }
      const results = Array.isArray(body?.results) ? body.results : [];
      raws.forEach((raw, i) => {
        const result = results[i];
        if (!result || result.eventId !== events[i].eventId || result.result === 'retry') return;
        if (result.result === 'rejected') {
          this.logger.error({ code: result.code, event: raw }, 'attendance event refused by the API; dropped');
        }
        done.add(raw);
      });
      if (done.size < batch.length)
        this.logger.warn({ missing: batch.length - done.size }, 'attendance events not stored yet; will retry');
      return done;
    }
    if (response.status === 404 || response.status === 400 || response.status === 413) {
      // An API without batches, or a batch it refuses as a whole: one by one, so a bad event goes alone.
      await response.body?.cancel().catch(() => undefined);
      for (const raw of raws) {
        if (this.stopped || !(await this.deliver(raw))) break;
        done.add(raw);
      }
      return done;
    }
    await response.body?.cancel().catch(() => undefined);
    if (isFinal(response.status)) {
      this.logger.error(
        { status: response.status, events: raws.length },
        'attendance batch refused by the API; dropped',
      );
      for (const raw of raws) done.add(raw);
      return done;
    }
    this.logger.warn({ status: response.status }, 'attendance API error; will retry');
    return done;
  }

  /** One event on the single-event route. true = done with this entry (stored, or permanently refused); false = retry later. */
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
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return true;
    if (isFinal(response.status)) {
      this.logger.error({ status: response.status, event: raw }, 'attendance event refused by the API; dropped');
      return true;
    }
    this.logger.warn({ status: response.status }, 'attendance API error; will retry');
    return false;
  }
}

/** A 4xx that retrying cannot fix (not a timeout or a rate limit). */
function isFinal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}
