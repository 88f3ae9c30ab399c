/**
 * The live service as its own OS process (`node -r @swc-node/register
 * apps/live/src/main.ts`), so tests can SIGKILL or SIGTERM it as a crash, the
 * OOM killer or a deploy would, and start it again on the same port. Plus
 * factories writing straight to the test database (no in-process app, which
 * would itself be a live node).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Types } from 'mongoose';
import type { Db } from '../../../support/db-factories';
import { accessToken } from '../../../support/tokens';
import { sleep } from '../../../support/wait';

const ROOT = resolve(__dirname, '../../../..');

export class LiveProcess {
  private child?: ChildProcess;
  private output = '';
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get log(): string {
    return this.output;
  }

  get running(): boolean {
    return !!this.child && this.exitCode === null && this.exitSignal === null;
  }

  /** Resolves once the process listens (Nest logged that the application started). */
  async start(timeoutMs = 60_000): Promise<void> {
    this.output = '';
    this.exitCode = null;
    this.exitSignal = null;
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/live/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'info', LIVE_HOST: '127.0.0.1', LIVE_PORT: String(this.port), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const onData = (chunk: Buffer) => {
      this.output += chunk.toString();
      if (this.output.length > 2_000_000) this.output = this.output.slice(-1_000_000);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code, signal) => {
      this.exitCode = code;
      this.exitSignal = signal;
    });
    const started = Date.now();
    while (!this.output.includes('Nest application successfully started')) {
      if (!this.running) throw new Error(`live exited during start-up:\n${this.output.slice(-4000)}`);
      if (Date.now() - started > timeoutMs)
        throw new Error(`live did not start in ${timeoutMs} ms:\n${this.output.slice(-4000)}`);
      await sleep(50);
    }
  }

  /** Sends `signal` and waits for the exit; returns how long the process took to go. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<number> {
    const child = this.child;
    if (!child || !this.running) return 0;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const sentAt = Date.now();
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
    return Date.now() - sentAt;
  }
}

export interface ProcessCourse {
  courseId: string;
  sessionId: string;
  trainerToken: string;
  trainerId: string;
}

let counter = 0;

/** A running course with one trainer and a session open now, written to the test database. */
export async function seedCourse(db: Db): Promise<ProcessCourse> {
  const now = Date.now();
  const trainer = await db.users.create({
    email: `t${++counter}.${now}@example.test`,
    name: `Pelatih ${counter}`,
    role: 'trainer',
    passwordHash: 'x',
  });
  const course = await db.courses.create({
    code: `LP${++counter}${now % 100000}`,
    title: 'Live process course',
    category: 'test',
    type: 'pelatihan',
    status: 'ongoing',
    trainerIds: [trainer._id],
    capacity: 50,
    registrationOpensAt: new Date(now - 86_400_000),
    registrationClosesAt: new Date(now + 86_400_000),
    lessonHours: 2,
  });
  const session = await db.sessions.create({
    courseId: course._id,
    title: 'Session 1',
    startsAt: new Date(now - 10 * 60_000),
    endsAt: new Date(now + 60 * 60_000),
    trainerIds: [trainer._id],
    status: 'scheduled',
  });
  const trainerId = String(trainer._id);
  return {
    courseId: String(course._id),
    sessionId: String(session._id),
    trainerId,
    trainerToken: accessToken(trainerId, 'trainer', trainer.name),
  };
}

/** An enrolled participant of the course: id and access token. */
export async function seedParticipant(db: Db, course: ProcessCourse): Promise<{ id: string; token: string }> {
  const user = await db.users.create({
    email: `p${++counter}.${Date.now()}@example.test`,
    name: `Peserta ${counter}`,
    role: 'participant',
    passwordHash: 'x',
  });
  await db.enrollments.create({
    courseId: new Types.ObjectId(course.courseId),
    userId: user._id,
    status: 'enrolled',
    seq: ++counter,
  });
  const id = String(user._id);
  return { id, token: accessToken(id, 'participant', user.name) };
}
