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
}

@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly transporter: Transporter;
  private readonly from: string;

  constructor(config: ConfigService<WorkerEnv, true>) {
    this.transporter = createTransport(config.get('SMTP_URL', { infer: true }), {
      pool: true,
      maxConnections: 2,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    this.from = config.get('MAIL_FROM', { infer: true });
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail({ from: this.from, ...mail });
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }
}
