/**
 * "Each mail is sent once" across a worker SIGKILL at the two moments that
 * matter (#10), made deterministic by an SMTP server that holds its answer:
 * - the server has the whole message (end of DATA received) but the worker is
 *   killed before it hears "250": the restarted worker must not send it again;
 * - the worker is killed while the server holds its answer to RCPT TO (no DATA
 *   yet): the restarted worker must send it, once.
 * The worker is its own OS process; the restarted one hands back the job the
 * dead one held and takes over its delivery claim.
 */
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { SMTPServer } from 'smtp-server';
import { NOTIFICATION_JOBS, QUEUES } from '@balai/queue';
import { connectDb, createAdmin, Db } from '../../support/db-factories';
import { waitFor } from '../../support/wait';
import { WorkerProcess } from '../../support/worker-process';

jest.setTimeout(180_000);

type Hold = 'rcpt' | 'data-end' | null;

/** Keeps every complete message; while `hold` is set, the next such step is left unanswered. */
class HoldingSmtp {
  readonly messages: Array<{ to: string[]; raw: string }> = [];
  hold: Hold = null;
  /** Resolves when a step is being held. */
  held: Promise<void> = new Promise(() => undefined);
  private reached: () => void = () => undefined;
  private server!: SMTPServer;

  arm(step: Exclude<Hold, null>): void {
    this.hold = step;
    this.held = new Promise((resolve) => (this.reached = resolve));
  }

  async start(): Promise<string> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (_address, _session, callback) => {
        if (this.hold === 'rcpt') {
          this.hold = null;
          this.reached();
          return; // never answered: the sender dies waiting
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', () => undefined);
        stream.on('end', () => {
          // The end of DATA arrived: the message is the server's now, whatever happens to the sender.
          this.messages.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString(),
          });
          if (this.hold === 'data-end') {
            this.hold = null;
            this.reached();
            return; // "250" never sent
          }
          callback();
        });
      },
    });
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  to(address: string) {
    return this.messages.filter((m) => m.to.includes(address));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('a notice and a worker SIGKILL', () => {
  const smtp = new HoldingSmtp();
  let db: Db;
  let queue: Queue;
  let worker: WorkerProcess;

  beforeAll(async () => {
    const smtpUrl = await smtp.start();
    db = await connectDb();
    const url = new URL(process.env.REDIS_URL!);
    queue = new Queue(QUEUES.notifications, {
      connection: { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null },
      prefix: process.env.REDIS_PREFIX!,
    });
    worker = new WorkerProcess({ SMTP_URL: smtpUrl, PUBLIC_BASE_URL: 'https://balai.test' });
  });

  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await smtp.stop();
    await db?.close();
  });

  async function resetNotice(): Promise<{ email: string; jobId: string }> {
    const userId = await createAdmin(db);
    const { email } = (await db.users.findById(userId, { email: 1 }).lean())!;
    const job = await queue.add(
      NOTIFICATION_JOBS.passwordReset,
      { userId, resetUrl: `https://balai.test/reset?token=${userId}` },
      { attempts: 5, backoff: { type: 'fixed', delay: 200 } },
    );
    return { email, jobId: job.id! };
  }

  async function killAndRestart(jobId: string): Promise<void> {
    await worker.stop('SIGKILL');
    await worker.start();
    await waitFor(async () => (await queue.getJob(jobId))?.finishedOn !== undefined, 60_000, `job ${jobId} finished`);
    expect(await (await queue.getJob(jobId))!.getState()).toBe('completed');
  }

  it('killed after the server took the end of DATA but before its "250": not sent again', async () => {
    await worker.start();
    smtp.arm('data-end');
    const { email, jobId } = await resetNotice();
    await smtp.held;
    expect(smtp.to(email)).toHaveLength(1);
    await killAndRestart(jobId);
    expect(worker.log).toContain('had committed this notice');
    expect(smtp.to(email)).toHaveLength(1);
  });

  it('killed while the server holds its answer to RCPT TO (no DATA yet): sent by the restarted worker, once', async () => {
    smtp.arm('rcpt');
    const { email, jobId } = await resetNotice();
    await smtp.held;
    expect(smtp.to(email)).toHaveLength(0);
    await killAndRestart(jobId);
    expect(worker.log).toContain('died before its commit');
    expect(smtp.to(email)).toHaveLength(1);
  });
});
