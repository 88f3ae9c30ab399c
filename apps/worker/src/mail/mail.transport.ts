/**
 * The only place that speaks SMTP. Everything else sends through a
 * NotificationChannel, so tests and a future WhatsApp channel never touch this.
 */
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createTransport, Transporter } from 'nodemailer';
import type { WorkerEnv } from '@balai/config';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Stable across retries of one message; becomes its Message-ID so a repeat can be recognised. */
  deliveryId?: string;
}

@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly transporter: Transporter;
  private readonly from: string;
  private readonly domain: string;

  constructor(config: ConfigService<WorkerEnv, true>) {
    this.transporter = createTransport(config.get('SMTP_URL', { infer: true }), {
      pool: true,
      maxConnections: 2,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    this.from = config.get('MAIL_FROM', { infer: true });
    this.domain = /@([^>\s]+)/.exec(this.from)?.[1] ?? 'balai.local';
  }

  async send({ deliveryId, ...mail }: OutgoingMail): Promise<void> {
    const messageId = deliveryId ? `<${deliveryId.replace(/[^A-Za-z0-9._-]/g, '-')}@${this.domain}>` : undefined;
    await this.transporter.sendMail({ from: this.from, ...mail, messageId });
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }
}
