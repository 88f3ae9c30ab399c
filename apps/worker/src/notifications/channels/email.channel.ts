import { Injectable } from '@nestjs/common';
import { MailTransport } from '../../mail/mail.transport';
import type { NotificationChannel, NotificationMessage, Recipient } from './notification-channel';

@Injectable()
export class EmailChannel implements NotificationChannel {
  readonly name = 'email';

  constructor(private readonly mail: MailTransport) {}

  canReach(recipient: Recipient): boolean {
    return /.+@.+/.test(recipient.email);
  }

  async deliver(
    recipient: Recipient,
    message: NotificationMessage,
    deliveryId: string,
    commit?: () => Promise<void>,
  ): Promise<void> {
    await this.mail.send({
      to: `"${recipient.name.replace(/"/g, '')}" <${recipient.email}>`,
      ...message,
      deliveryId,
      commit,
    });
  }
}
