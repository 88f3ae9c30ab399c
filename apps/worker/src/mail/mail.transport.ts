/**
 * The only place that speaks SMTP. Everything else sends through a
 * NotificationChannel, so tests and a future WhatsApp channel never touch this.
 *
 * A message is committed at one exact point (#10): the end of DATA (the lone
 * "." that makes the server accept it) is written only after the caller's
 * `commit` hook has recorded that this message is about to be accepted. A
 * process killed before that point has sent nothing the server keeps (a
 * server discards a DATA that never ended), so the next attempt may send it;
 * killed after it, the message counts as delivered and is not sent again.
 * That needs nodemailer's low-level SMTPConnection (its documented "SMTP
 * Connection" client): the high-level transports read the whole message
 * before the server has even answered DATA, so they leave no such point.
 * One connection per message, as SMTPTransport without a pool does.
 */
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { WorkerEnv } from '@balai/config';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Stable across retries of one message; becomes its Message-ID so a repeat can be recognised. */
  deliveryId?: string;
  /**
   * Called once the server is receiving the message and only its last bytes
   * are left; the end of DATA is written when it resolves. If it rejects, the
   * connection is dropped before the end, so the server keeps nothing.
   */
  commit?: () => Promise<void>;
}

/** How many bytes of the message wait for the commit (the server has all the rest by then). */
const TAIL_BYTES = 2;

/** The message as a stream that hands out everything but its tail, then waits for `commit`. */
export function committingStream(message: Buffer, commit: () => Promise<void>): Readable {
  const head = message.subarray(0, Math.max(0, message.length - TAIL_BYTES));
  const tail = message.subarray(head.length);
  let step = 0;
  return new Readable({
    read() {
      if (step === 0) {
        step = 1;
        this.push(head);
        return;
      }
      if (step !== 1) return;
      step = 2;
      commit().then(
        () => {
          this.push(tail);
          this.push(null);
        },
        (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });
}

@Injectable()
export class MailTransport {
  /** Host, port, TLS and credentials from SMTP_URL, read as nodemailer reads a connection URL. */
  private readonly options: SMTPConnection.Options;
  private readonly from: string;
  private readonly domain: string;

  constructor(config: ConfigService<WorkerEnv, true>) {
    this.options = parseConnectionUrl(config.get('SMTP_URL', { infer: true }));
    this.from = config.get('MAIL_FROM', { infer: true });
    this.domain = /@([^>\s]+)/.exec(this.from)?.[1] ?? 'balai.local';
  }

  async send({ deliveryId, commit, ...mail }: OutgoingMail): Promise<void> {
    const messageId = deliveryId ? `<${deliveryId.replace(/[^A-Za-z0-9._-]/g, '-')}@${this.domain}>` : undefined;
    const composed = new MailComposer({ from: this.from, ...mail, messageId }).compile();
    const envelope = composed.getEnvelope();
    const raw = await composed.build();
    const body = commit ? committingStream(raw, commit) : Readable.from([raw]);
    await this.deliver(envelope, body);
  }

  private deliver(envelope: SMTPConnection.Envelope, body: Readable): Promise<void> {
    const { auth, ...options } = this.options;
    const connection = new SMTPConnection({
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      ...options,
    });
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const done = (error?: Error) => {
        if (settled) return;
        settled = true;
        if (error) {
          connection.close();
          reject(error);
        } else {
          connection.quit();
          resolve();
        }
      };
      // A failed commit ends the conversation before the end of DATA.
      body.once('error', (error) => done(error));
      connection.once('error', (error) => done(error));
      connection.once('end', () => done(new Error('the mail server closed the connection')));
      connection.connect(() => {
        const send = () =>
          connection.send(envelope, body, (error) => {
            done(error ?? undefined);
          });
        // As SMTPTransport: log in when the server offers AUTH (nodemailer sets allowsAuth, its types omit it).
        if (auth?.user && (connection as SMTPConnection & { allowsAuth?: boolean }).allowsAuth)
          connection.login(auth as SMTPConnection.Credentials, (error) => (error ? done(error) : send()));
        else send();
      });
    });
  }
}
