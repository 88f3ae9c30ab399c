/**
 * Sends one message to people over every channel that can reach them, at most
 * once per (notice, person, channel): a retried job skips those already served,
 * which matters when a reminder to 300 people fails at the 200th.
 */
import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '@balai/common';
import { NOTIFICATION_CHANNELS, NotificationChannel, NotificationMessage, Recipient } from './channels/notification-channel';

const SENT_TTL_SECONDS = 14 * 24 * 3600;

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
  ) {}

  /** `noticeKey` names the notice (e.g. "reminder-<session>-60"); failures are reported, the caller decides to retry. */
  async send(noticeKey: string, recipients: Recipient[], compose: (recipient: Recipient) => NotificationMessage): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, skipped: 0, failed: [] };
    for (const recipient of recipients) {
      for (const channel of this.channels) {
        if (!channel.canReach(recipient)) continue;
        const key = `sent:${noticeKey}:${channel.name}:${recipient.userId}`;
        if (await this.redis.client.exists(key)) {
          report.skipped += 1;
          continue;
        }
        try {
          await channel.deliver(recipient, compose(recipient));
          await this.redis.client.set(key, '1', 'EX', SENT_TTL_SECONDS);
          report.sent += 1;
        } catch (error) {
          report.failed.push({ userId: recipient.userId, channel: channel.name, error: (error as Error).message });
        }
      }
    }
    return report;
  }
}
