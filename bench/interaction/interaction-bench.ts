/**
 * `npm run bench:interaction` (issue 12): N simulated socket.io participants
 * (no browsers, no media) in one live session, plus the host. Each
 * participant votes once in a poll at a random moment within a window, then
 * upvotes one of the open questions the same way. The live service runs as a
 * child process (production code path through `-r @swc-node/register`, Redis
 * adapter, one mediasoup worker) on the shared FerretDB (a private database)
 * and Redis (a private key prefix); attendance goes to a stub of the API.
 *
 * Prints per phase: acknowledgement p50/p95/p99/max, refused votes, the time
 * from the last vote's acknowledgement (and from its sending) until the host
 * holds the final count, how many count pushes the host and one participant
 * got (the broadcast is throttled per session, not per vote), and the live
 * process's CPU (user+system from /proc) over the phase; plus the load
 * average.
 *
 * Usage: npm run bench:interaction -- [--clients 500] [--window 2] [--questions 5]
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { JwtService } from '@nestjs/jwt';
import mongoose, { Types } from 'mongoose';
import { io, Socket } from 'socket.io-client';
import { apiEnvSchema, parseEnv } from '@balai/config';
import {
  Course,
  CourseSchema,
  CourseSession,
  CourseSessionSchema,
  Enrollment,
  enrollmentId,
  EnrollmentSchema,
  User,
  UserSchema,
} from '@balai/database';
import type { Ack, PollCountsNotice, QnaVotesNotice } from '@balai/live-contract';
import { startAttendanceStub } from '../../test/support/attendance-stub';
import { numberOption } from '../support/cli';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: number) => numberOption(name, fallback, argv);
const CLIENTS = opt('clients', 500);
const WINDOW_MS = opt('window', 2) * 1000;
const QUESTIONS = opt('questions', 5);
const JOIN_CONCURRENCY = 25;

const ROOT = `${__dirname}/../..`;
const MONGODB_URI = `mongodb://127.0.0.1:27027/balai_bench_interaction_${randomBytes(3).toString('hex')}`;
const REDIS_PREFIX = `bench_interaction_${process.pid}`;
const JWT_SECRET = parseEnv(apiEnvSchema, process.env).JWT_SECRET;
const jwt = new JwtService({ secret: JWT_SECRET });
const token = (sub: string, role: string, name: string) =>
  jwt.sign({ sub, role, name, typ: 'access' }, { algorithm: 'HS256', expiresIn: 3600 });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}
const ms = (n: number) => `${n.toFixed(0)} ms`;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** CPU seconds (user + system) of a process so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

class Client {
  readonly socket: Socket;
  constructor(url: string, tok: string) {
    this.socket = io(url, { transports: ['websocket'], auth: { token: tok }, reconnection: false, forceNew: true });
  }
  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
    });
  }
  async ok<T>(event: string, payload: unknown): Promise<T> {
    const ack = (await this.socket.timeout(30_000).emitWithAck(event, payload)) as Ack<T>;
    if (!ack.ok) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
    return ack.data;
  }
  async timed(event: string, payload: unknown): Promise<{ ms: number; ok: boolean; code?: string; at: number }> {
    const started = performance.now();
    const ack = (await this.socket.timeout(30_000).emitWithAck(event, payload)) as Ack<unknown>;
    const at = performance.now();
    return { ms: at - started, ok: ack.ok, code: ack.ok ? undefined : ack.error.code, at };
  }
}

async function main(): Promise<void> {
  const stub = await startAttendanceStub();
  const port = await freePort();
  const conn = await mongoose.createConnection(MONGODB_URI).asPromise();
  const users = conn.model(User.name, UserSchema);
  const courses = conn.model(Course.name, CourseSchema);
  const sessions = conn.model(CourseSession.name, CourseSessionSchema);
  const enrollments = conn.model(Enrollment.name, EnrollmentSchema);

  const now = Date.now();
  const trainer = await users.create({
    email: `t.${now}@bench.test`,
    name: 'Pelatih Bench',
    role: 'trainer',
    passwordHash: 'x',
  });
  const course = await courses.create({
    code: `BI${now % 1e6}`,
    title: 'Sosialisasi bench',
    category: 'bench',
    type: 'sosialisasi',
    status: 'ongoing',
    trainerIds: [trainer._id],
    capacity: CLIENTS + 10,
    registrationOpensAt: new Date(now - 86_400_000),
    registrationClosesAt: new Date(now + 86_400_000),
    lessonHours: 2,
  });
  const session = await sessions.create({
    courseId: course._id,
    title: 'Sesi 1',
    startsAt: new Date(now - 10 * 60_000),
    endsAt: new Date(now + 60 * 60_000),
    trainerIds: [trainer._id],
    status: 'scheduled',
  });
  const people = Array.from({ length: CLIENTS }, (_, i) => ({
    _id: new Types.ObjectId(),
    email: `p${i}.${now}@bench.test`,
    name: `Peserta ${i + 1}`,
    role: 'participant',
    passwordHash: 'x',
  }));
  await users.insertMany(people);
  await enrollments.insertMany(
    people.map((p, i) => ({
      _id: enrollmentId(course._id, p._id),
      courseId: course._id,
      userId: p._id,
      status: 'enrolled',
      seq: i + 1,
    })),
  );

  const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/live/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      LIVE_HOST: '127.0.0.1',
      LIVE_PORT: String(port),
      MONGODB_URI,
      REDIS_PREFIX,
      API_INTERNAL_URL: stub.url,
      MEDIASOUP_NUM_WORKERS: '1',
      MEDIASOUP_LOG_LEVEL: 'none',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-20_000)));
  child.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  const clients: Client[] = [];
  try {
    const started = Date.now();
    for (;;) {
      try {
        const res = await fetch(`${url}/health`);
        if (res.status < 500) break;
      } catch {
        // not yet
      }
      if (child.exitCode !== null) throw new Error(`live exited:\n${log}`);
      if (Date.now() - started > 90_000) throw new Error(`live did not start:\n${log}`);
      await sleep(200);
    }
    const sessionId = String(session._id);
    const host = new Client(url, token(String(trainer._id), 'trainer', trainer.name));
    await host.connected();
    await host.ok('room:join', { sessionId });
    await host.ok('interaction:sync', {});
    const hostPollCounts: Array<{ at: number; n: PollCountsNotice }> = [];
    const hostQnaVotes: Array<{ at: number; n: QnaVotesNotice }> = [];
    host.socket.on('poll:counts', (n: PollCountsNotice) => hostPollCounts.push({ at: performance.now(), n }));
    host.socket.on('qna:votes', (n: QnaVotesNotice) => hostQnaVotes.push({ at: performance.now(), n }));

    const joinStarted = Date.now();
    for (let i = 0; i < CLIENTS; i += JOIN_CONCURRENCY) {
      await Promise.all(
        people.slice(i, i + JOIN_CONCURRENCY).map(async (p) => {
          const c = new Client(url, token(String(p._id), 'participant', p.name));
          clients.push(c);
          await c.connected();
          await c.ok('room:join', { sessionId });
          await c.ok('interaction:sync', {});
        }),
      );
    }
    process.stdout.write(
      `interaction bench: ${CLIENTS} socket.io participants + host in one session, joined in ${((Date.now() - joinStarted) / 1000).toFixed(1)} s; live pid ${child.pid}\n`,
    );
    let watcherQna = 0;
    clients[0].socket.on('qna:votes', () => (watcherQna += 1));
    let watcherPoll = 0;
    clients[0].socket.on('poll:counts', () => (watcherPoll += 1));

    // Questions from a few participants (rate limit: 5 a minute per person).
    const questionIds: string[] = [];
    for (let i = 0; i < QUESTIONS; i++) {
      const q = await clients[i + 1].ok<{ id: string }>('qna:ask', { text: `Pertanyaan bench nomor ${i + 1}?` });
      questionIds.push(q.id);
    }
    const poll = await host.ok<{ id: string }>('poll:create', {
      question: 'Apakah materi hari ini jelas?',
      options: ['Jelas', 'Cukup', 'Kurang', 'Tidak'],
    });
    await sleep(500);

    async function phase(
      name: string,
      send: (c: Client, i: number) => Promise<{ ms: number; ok: boolean; code?: string; at: number }>,
      final: () => number | undefined,
      pushes: () => number,
    ) {
      const cpu0 = cpuSeconds(child.pid!);
      const self0 = process.cpuUsage();
      const lag = monitorEventLoopDelay({ resolution: 10 });
      lag.enable();
      const t0 = performance.now();
      const pushes0 = pushes();
      let lastSent = 0;
      const results = await Promise.all(
        clients.map(async (c, i) => {
          await sleep(Math.random() * WINDOW_MS);
          lastSent = Math.max(lastSent, performance.now());
          return send(c, i);
        }),
      );
      const lastAck = Math.max(...results.map((r) => r.at));
      let finalAt: number | undefined;
      const deadline = performance.now() + 30_000;
      while ((finalAt = final()) === undefined && performance.now() < deadline) await sleep(20);
      await sleep(300);
      const cpu1 = cpuSeconds(child.pid!);
      const elapsed = (performance.now() - t0) / 1000;
      lag.disable();
      const self = process.cpuUsage(self0);
      const selfCpu = (self.user + self.system) / 1e6;
      const acks = results.filter((r) => r.ok).map((r) => r.ms);
      const refused = results.filter((r) => !r.ok);
      process.stdout.write(
        `${name}: ${results.length} sent over ${WINDOW_MS / 1000} s, ${acks.length} acked ok, ${refused.length} refused` +
          (refused.length ? ` (${[...new Set(refused.map((r) => r.code))].join(', ')})` : '') +
          `\n  ack p50 ${ms(percentile(acks, 50))}, p95 ${ms(percentile(acks, 95))}, p99 ${ms(percentile(acks, 99))}, max ${ms(Math.max(...acks))}\n` +
          (finalAt === undefined
            ? '  host never held the final count within 30 s\n'
            : `  host's final count ${ms(finalAt - lastAck)} after the last vote's ack (${ms(finalAt - lastSent)} after it was sent)\n`) +
          `  count pushes to the host during the phase: ${pushes() - pushes0}\n` +
          `  live process CPU: ${(cpu1 - cpu0).toFixed(2)} s over ${elapsed.toFixed(1)} s = ${(((cpu1 - cpu0) / elapsed) * 100).toFixed(0)}% of one core\n` +
          `  (this bench process, holding the ${CLIENTS} clients: CPU ${((selfCpu / elapsed) * 100).toFixed(0)}% of one core, event-loop delay p99 ${(lag.percentile(99) / 1e6).toFixed(0)} ms)\n`,
      );
    }

    await phase(
      'poll votes',
      (c, i) => c.timed('poll:vote', { pollId: poll.id, choices: [i % 4] }),
      () => hostPollCounts.find((e) => e.n.pollId === poll.id && e.n.voters === CLIENTS)?.at,
      () => hostPollCounts.length,
    );
    process.stdout.write(`  one participant got ${watcherPoll} poll:counts (results not revealed)\n`);

    const latest = new Map<string, number>();
    await phase(
      'question upvotes',
      (c, i) => c.timed('qna:upvote', { questionId: questionIds[i % questionIds.length], up: true }),
      () => {
        for (const e of hostQnaVotes) for (const [id, n] of Object.entries(e.n.counts)) latest.set(id, n);
        const total = [...latest.values()].reduce((a, b) => a + b, 0);
        return total === CLIENTS ? hostQnaVotes.at(-1)?.at : undefined;
      },
      () => hostQnaVotes.length,
    );
    process.stdout.write(`  one participant got ${watcherQna} qna:votes pushes\n`);

    const closed = await host.ok<{ counts: number[]; voters: number }>('poll:close', { pollId: poll.id });
    const expected = [0, 1, 2, 3].map(
      (k) => Array.from({ length: CLIENTS }, (_, i) => i % 4).filter((x) => x === k).length,
    );
    process.stdout.write(
      `closed poll: voters ${closed.voters}, counts ${closed.counts.join('/')} (expected ${expected.join('/')}) ${
        closed.voters === CLIENTS && closed.counts.every((n, i) => n === expected[i]) ? 'OK' : 'MISMATCH'
      }\n`,
    );
    process.stdout.write(
      `load average: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
    );
    host.socket.close();
  } finally {
    for (const c of clients) c.socket.close();
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    if (child.exitCode === null) child.kill('SIGKILL');
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
    await stub.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
