/**
 * Sends one message to people over every channel that can reach them, once per
 * (notice, person, channel): a retried job skips those already served, which
 * matters when a reminder to 300 people fails at the 200th. The marker is
 * claimed atomically before sending (SET NX), so two attempts of one job that
 * run at once (a job handed back while its first worker was only slow) cannot
 * both send. A claim left by a process that died is taken over at once. Only
 * a crash between the mail server accepting a message and the marker being
 * written can repeat a message; its stable delivery id (the email Message-ID)
 * makes that repeat recognisable.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '@balai/common';
import { QueueWorkerRunner } from '../queue/queue-worker.runner';
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
const RELEASE_IF_OURS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const REPLACE_IF_SAME = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) return 1 end return 0`;

export interface DeliveryReport {
  sent: number;
  skipped: number;
  failed: Array<{ userId: string; channel: string; error: string }>;
}

@Injectable()
export class Notifier {
  constructor(
    @Inject(NOTIFICATION_CHANNELS) private readonly channels: NotificationChannel[],
    private readonly redis: RedisClient,
    private readonly runner: QueueWorkerRunner,
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
        const claim = `sending:${this.runner.workerName}:${randomUUID()}`;
        const outcome = await this.claim(key, claim);
        if (outcome === 'sent') {
          report.skipped += 1;
          continue;
        }
        if (outcome === 'busy') {
          // Another live attempt is sending it right now: retry later rather than send it twice.
          report.failed.push({
            userId: recipient.userId,
            channel: channel.name,
            error: 'being delivered by another attempt',
          });
          continue;
        }
        try {
          await channel.deliver(recipient, compose(recipient), deliveryId);
          await this.redis.client.set(key, SENT, 'EX', SENT_TTL_SECONDS);
          report.sent += 1;
        } catch (error) {
          // Not delivered: release the claim (only if it is still ours) so the retry can send.
          await this.redis.client.eval(RELEASE_IF_OURS, 1, key, claim).catch(() => undefined);
          report.failed.push({ userId: recipient.userId, channel: channel.name, error: (error as Error).message });
        }
      }
    }
    return report;
  }

  /**
   * Take the marker for one delivery. A claim left by a process that is gone (killed
   * while sending) is taken over; the dead attempt may have been accepted by the mail
   * server a moment before it died, which the stable Message-ID makes recognisable.
   */
  private async claim(key: string, claim: string): Promise<'claimed' | 'sent' | 'busy'> {
    if ((await this.redis.client.set(key, claim, 'EX', CLAIM_TTL_SECONDS, 'NX')) === 'OK') return 'claimed';
    const current = await this.redis.client.get(key);
    if (current === null) return this.claim(key, claim);
    if (current === SENT) return 'sent';
    const owner = current.split(':')[1] ?? '';
    if ((await this.runner.liveWorkerNames()).has(owner)) return 'busy';
    const taken = await this.redis.client.eval(REPLACE_IF_SAME, 1, key, current, claim, String(CLAIM_TTL_SECONDS));
    return taken === 1 ? 'claimed' : 'busy';
  }
}
