/**
 * A real SMTP server (the `smtp-server` package) on a random loopback port that
 * keeps every message it receives. Recipients matching `rejectRecipients` are
 * refused, to test that a mail failure does not fail a certificate.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
  /** Date.now() when the message was accepted. */
  receivedAt: number;
}

export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  private server!: SMTPServer;
  port = 0;

  constructor(private readonly rejectRecipients: RegExp = /^$/) {}

  async start(): Promise<string> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.rejectRecipients.test(address.address)) return callback(new Error('550 mailbox unavailable'));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.messages.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
            receivedAt: Date.now(),
          });
          callback();
        });
      },
    });
    // A client killed mid-conversation (SIGKILL tests) resets its socket; that is not a test failure.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to.includes(address));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Undo quoted-printable soft breaks so links can be matched in the raw message. */
export function mailText(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The Message-ID header (headers may be folded over several lines). */
export function messageId(raw: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/, 1)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  return /^Message-ID:\s*(\S+)/im.exec(head)?.[1];
}
