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
 * 2. Under the claim the durable record (delivery-record.ts, in the database)
 *    is read: a delivery recorded sent is never sent again, even if Redis lost
 *    its marker; it is then written "sending".
 * 3. The channel calls `commit` right before its point of no return (email:
 *    the end of DATA, see mail.transport.ts); the claim becomes
 *    `committed:<worker>:<attempt>`. An attempt that died before that point
 *    left nothing the mail server keeps, so the next attempt sends; one that
 *    died after it counts as delivered and is not sent again.
 * 4. Right after, "sent" is written to Redis and the database, each retried
 *    until it lands: a marker write that fails no longer counts as a failed
 *    delivery (that used to release the claim and resend on the job's retry).
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

type Claim = { state: 'claimed' } | { state: 'committed-by-gone' } | { state: 'sent' } | { state: 'busy' };

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
    try {
      // Under the claim the durable record decides (Redis may have lost its marker).
      const record = await this.records.get(deliveryId);
      if (record?.state === 'sent') {
        await this.redis.client.set(key, SENT, 'EX', SENT_TTL_SECONDS).catch(() => undefined);
        return 'skipped';
      }
      await this.records.sending(deliveryId, claim, (record?.attempts ?? 0) + 1);
    } catch (error) {
      await this.release(key, claim);
      return { error: (error as Error).message };
    }
    let didCommit = false;
    const commit = async () => {
      const ok = await this.redis.client.eval(REPLACE_IF_SAME, 1, key, claim, committed, String(CLAIM_TTL_SECONDS));
      if (ok !== 1) throw new Error('the delivery claim was lost before the commit');
      didCommit = true;
    };
    try {
      await channel.deliver(recipient, compose(recipient), deliveryId, commit);
    } catch (error) {
      // A network failure after the commit: the server may well have the message; never send it twice.
      const refused = typeof (error as { responseCode?: unknown }).responseCode === 'number';
      if (!didCommit || refused) {
        // Not delivered: forget the attempt and release the claim (only if still ours) so the retry can send.
        await this.records.failed(deliveryId, claim).catch(() => undefined);
        await this.release(key, didCommit ? committed : claim);
        return { error: (error as Error).message };
      }
      this.logger.warn(
        { deliveryId, err: (error as Error).message },
        'the connection failed after the end of the message; counting it as delivered',
      );
    }
    // Delivered: from here on it counts as sent, whatever the marker writes meet.
    await this.markSent(key, deliveryId, claim);
    return 'sent';
  }

  private async release(key: string, value: string): Promise<void> {
    await this.redis.client.eval(RELEASE_IF_OURS, 1, key, value).catch(() => undefined);
  }

  /**
   * Both markers, each retried for about a minute (an outage of either), then
   * given up with an error in the log; the claim is never released after a
   * delivery, so at worst it expires and the durable record still says sent.
   */
  private async markSent(key: string, deliveryId: string, owner: string): Promise<void> {
    const retry = async (what: string, write: () => Promise<unknown>) => {
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
    };
    await Promise.all([
      retry('redis', () => this.redis.client.set(key, SENT, 'EX', SENT_TTL_SECONDS)),
      retry('database', () => this.records.sent(deliveryId, owner)),
    ]);
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
    return { state: 'claimed' };
  }
}
