/**
 * Sends one message to people over every channel that can reach them, once per
 * (notice, person, channel): a retried job skips those already served, which
 * matters when a reminder to 300 people fails at the 200th.
 *
 * How "once" holds (#10), per delivery:
 * 1. A claim in Redis (SET NX, `sending:<worker>:<attempt>`) serialises
 *    attempts: two attempts at once (a job handed back while its first worker
 *    was only slow) cannot both send. A claim of a process that is gone, or of
 *    this process but no attempt in progress (its release was lost in an
 *    outage), is taken over at once.
 * 2. Nothing is read from the database before a delivery (on FerretDB over
 *    PostgreSQL each read scans the records, which grow with every notice).
 * 3. The channel calls `commit` right before its point of no return (email:
 *    the end of DATA, see mail.transport.ts). Then the durable record
 *    (delivery-record.ts) is INSERTED with state "sent": its unique `_id`
 *    refuses an attempt that comes after one Redis forgot (a flushed or
 *    replaced Redis), which stops before the end of DATA and counts as
 *    skipped; the record of an attempt whose "sending" claim was taken over
 *    (it died before its Redis commit, so before the end of DATA) is taken
 *    over. Last the claim becomes `committed:<worker>:<attempt>` and the end of
 *    DATA goes out. An attempt that died before that left nothing the mail
 *    server keeps, so the next one sends; one that died after it counts as
 *    delivered and is not sent again. A server that refuses the message: the
 *    record is removed again and the claim released, so a retry sends.
 * 4. Right after, "sent" is written to Redis, retried until it lands: a marker
 *    write that fails does not count as a failed delivery.
 * What remains: a process killed in the microseconds between the commit
 * landing in Redis and the end of DATA leaving the socket loses that mail
 * instead of repeating it; a mail server that refuses a message after its end
 * of DATA while the sender is being killed, likewise.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { RedisClient } from '@balai/common';
import { QueueWorkerRunner } from '../queue/queue-worker.runner';
import { DeliveryRecords } from './delivery-record';
import {
  NOTIFICATION_CHANNELS,
  NotificationChannel,
  NotificationMessage,
  Recipient,
} from './channels/notification-channel';

const SENT_TTL_SECONDS = 14 * 24 * 3600;
/** Longer than one delivery can take (SMTP connection 10 s + socket 20 s timeouts), so a live claim never lapses. */
const CLAIM_TTL_SECONDS = 120;
const SENT = '1';
const SENDING = 'sending:';
const COMMITTED = 'committed:';
/** Marker writes after a delivery: about a minute of retries (200 ms doubling to 5 s). */
const MARK_ATTEMPTS = 16;
const RELEASE_IF_OURS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const REPLACE_IF_SAME = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) return 1 end return 0`;

export interface DeliveryReport {
  sent: number;
  skipped: number;
  failed: Array<{ userId: string; channel: string; error: string }>;
}

/** `previous`: the claim of an attempt that died before its commit, taken over. */
type Claim =
  { state: 'claimed'; previous?: string } | { state: 'committed-by-gone' } | { state: 'sent' } | { state: 'busy' };

/** `sending:<worker>:<attempt>` or `committed:<worker>:<attempt>` -> the worker's name. */
const ownerOf = (value: string): string => value.split(':')[1] ?? '';
/** The attempt id both values of one attempt share. */
const attemptOf = (value: string): string => value.slice(value.indexOf(':') + 1);

@Injectable()
export class Notifier {
  private readonly logger = new Logger(Notifier.name);
  /** Attempts of this process in progress (`<worker>:<attempt>`); a claim of ours not in here is a leftover. */
  private readonly inFlight = new Set<string>();

  constructor(
    @Inject(NOTIFICATION_CHANNELS) private readonly channels: NotificationChannel[],
    private readonly redis: RedisClient,
    private readonly runner: QueueWorkerRunner,
    private readonly records: DeliveryRecords,
  ) {}

  /** `noticeKey` names the notice (e.g. "reminder-<session>-60"); failures are reported, the caller decides to retry. */
  async send(
    noticeKey: string,
    recipients: Recipient[],
    compose: (recipient: Recipient) => NotificationMessage,
  ): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, skipped: 0, failed: [] };
    for (const recipient of recipients) {
      for (const channel of this.channels) {
        if (!channel.canReach(recipient)) continue;
        const deliveryId = `${noticeKey}.${channel.name}.${recipient.userId}`;
        const key = `sent:${noticeKey}:${channel.name}:${recipient.userId}`;
        const attempt = `${this.runner.workerName}:${randomUUID()}`;
        this.inFlight.add(attempt);
        try {
          const result = await this.deliverOnce(channel, recipient, compose, deliveryId, key, attempt);
          if (result === 'sent') report.sent += 1;
          else if (result === 'skipped') report.skipped += 1;
          else report.failed.push({ userId: recipient.userId, channel: channel.name, error: result.error });
        } finally {
          this.inFlight.delete(attempt);
        }
      }
    }
    return report;
  }

  private async deliverOnce(
    channel: NotificationChannel,
    recipient: Recipient,
    compose: (recipient: Recipient) => NotificationMessage,
    deliveryId: string,
    key: string,
    attempt: string,
  ): Promise<'sent' | 'skipped' | { error: string }> {
    const claim = `${SENDING}${attempt}`;
    const committed = `${COMMITTED}${attempt}`;
    let outcome: Claim;
    try {
      outcome = await this.claim(key, claim);
    } catch (error) {
      return { error: (error as Error).message };
    }
    if (outcome.state === 'sent') return 'skipped';
    // Another live attempt is sending it right now: retry later rather than send it twice.
    if (outcome.state === 'busy') return { error: 'being delivered by another attempt' };
    if (outcome.state === 'committed-by-gone') {
      this.logger.warn({ deliveryId }, 'a worker that is gone had committed this notice; recording it as sent');
      await this.markSent(key, deliveryId, claim);
      return 'skipped';
    }
    // The value of the claim as this attempt last set it (what a release must match).
    let held = claim;
    let didCommit = false;
    let deliveredBefore = false;
    let abandoned = false;
    let recorded = false;
    let committing: Promise<void> | undefined;
    // The attempt whose "sending" claim this one took over: if it died after writing its record but
    // before its Redis commit, it never reached the end of DATA, and its record is taken over.
    const previous = outcome.previous ? `${COMMITTED}${attemptOf(outcome.previous)}` : undefined;
    const commit = () =>
      (committing = (async () => {
        // nodemailer may still read (drain) the message after the server refused it before DATA.
        if (abandoned) throw new Error('the delivery was given up before the commit');
        // The durable test-and-set first (an earlier attempt that Redis forgot has its record), then
        // the Redis commit right before the end of DATA, as short a window as before.
        if (!(await this.records.commit(deliveryId, committed, previous))) {
          deliveredBefore = true;
          throw new Error('already delivered by an earlier attempt (recorded in the database)');
        }
        recorded = true;
        const ok = await this.redis.client.eval(REPLACE_IF_SAME, 1, key, claim, committed, String(CLAIM_TTL_SECONDS));
        // Lost (another process took it over, taking our record with it) or Redis away: not sent.
        if (ok !== 1) throw new Error('the delivery claim was lost before the commit');
        held = committed;
        didCommit = true;
      })());
    try {
      await channel.deliver(recipient, compose(recipient), deliveryId, commit);
    } catch (error) {
      abandoned = true;
      // A commit on its way decides what there is to undo.
      await committing?.catch(() => undefined);
      if (deliveredBefore) {
        // Stopped before the end of DATA: the server keeps nothing of this attempt.
        await this.redis.client.set(key, SENT, 'EX', SENT_TTL_SECONDS).catch(() => undefined);
        return 'skipped';
      }
      // A network failure after the commit: the server may well have the message; never send it twice.
      const refused = typeof (error as { responseCode?: unknown }).responseCode === 'number';
      if (!didCommit || refused) {
        // Not delivered: forget the attempt and release the claim (only if still ours) so the retry can send.
        if (recorded) {
          // Our record goes first; if it cannot, the claim stays, and whoever takes it over takes the record too.
          const removed = await this.records.failed(deliveryId, committed).then(
            () => true,
            () => false,
          );
          if (!removed) return { error: (error as Error).message };
        }
        await this.release(key, held);
        return { error: (error as Error).message };
      }
      this.logger.warn(
        { deliveryId, err: (error as Error).message },
        'the connection failed after the end of the message; counting it as delivered',
      );
    }
    // Delivered: from here on it counts as sent. The database has it since the commit (a channel
    // without a point of no return never called commit: record it now).
    await this.markSent(key, deliveryId, held, !didCommit);
    return 'sent';
  }

  private async release(key: string, value: string): Promise<void> {
    await this.redis.client.eval(RELEASE_IF_OURS, 1, key, value).catch(() => undefined);
  }

  /**
   * The Redis marker, and with `durable` the database record too (an attempt of a worker that is
   * gone had committed it), each retried for about a minute (an outage of either), then given up
   * with an error in the log; the claim is never released after a delivery, so at worst it
   * expires and the durable record still says sent.
   */
  private async markSent(key: string, deliveryId: string, owner: string, durable = true): Promise<void> {
    await Promise.all([
      this.retry(deliveryId, 'redis', () => this.redis.client.set(key, SENT, 'EX', SENT_TTL_SECONDS)),
      durable ? this.retry(deliveryId, 'database', () => this.records.sent(deliveryId, owner)) : undefined,
    ]);
  }

  private async retry(deliveryId: string, what: string, write: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        return;
      } catch (error) {
        if (attempt >= MARK_ATTEMPTS) {
          this.logger.error({ err: error, deliveryId, what }, 'could not record a delivered notice as sent');
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
      }
    }
  }

  /**
   * Take the marker for one delivery. A claim of a process that is gone is taken
   * over: "sending" (it died before the point of no return) is sent again,
   * "committed" (it died after) is recorded as sent.
   */
  private async claim(key: string, claim: string): Promise<Claim> {
    if ((await this.redis.client.set(key, claim, 'EX', CLAIM_TTL_SECONDS, 'NX')) === 'OK') return { state: 'claimed' };
    const current = await this.redis.client.get(key);
    if (current === null) return this.claim(key, claim);
    if (current === SENT) return { state: 'sent' };
    const owner = ownerOf(current);
    // Ours but not in progress: an attempt of this process whose release did not reach Redis (an outage).
    const leftover = owner === this.runner.workerName && !this.inFlight.has(attemptOf(current));
    if (!leftover && (await this.runner.liveWorkerNames()).has(owner)) return { state: 'busy' };
    const taken = await this.redis.client.eval(REPLACE_IF_SAME, 1, key, current, claim, String(CLAIM_TTL_SECONDS));
    if (taken !== 1) return { state: 'busy' };
    if (current.startsWith(COMMITTED)) return { state: 'committed-by-gone' };
    if (current.startsWith(SENDING))
      this.logger.warn({ key, previous: current }, 'took over the claim of an attempt that died before its commit');
    return { state: 'claimed', previous: current };
  }
}
