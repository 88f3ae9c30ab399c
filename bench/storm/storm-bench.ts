/**
 * `npm run bench:storm` (issue 15): a join storm into one live session. N
 * simulated socket.io participants (no browsers, no media) connect and send
 * `room:join` spread evenly over a window, then `transport:create` (recv), stay
 * a moment and `room:leave` over the same window. Against the real API, live
 * service and worker as child processes (production code path, `-r
 * @swc-node/register`), a private FerretDB (or BENCH_MONGODB_URI) and the
 * shared Redis (own key prefix).
 *
 * Prints: join-ack and transport-ack percentiles, errors by code, the time
 * from the last join (leave) until every attendance interval is stored
 * (opened/closed), the storage lag of each event (the API's createdAt /
 * updatedAt minus the action's instant), and CPU per process from /proc
 * (api, live, its mediasoup workers, worker, ferretdb, redis, this bench).
 *
 * Usage: npm run bench:storm -- [--joins 300] [--window 2] [--prefill 20000]
 *          [--other-enrolments 5000] [--stay 3] [--store-timeout 180] [--no-worker]
 * Env: BENCH_MONGODB_URI (a server to use instead of a private FerretDB),
 *      BENCH_DB_BACKEND (postgresql | sqlite, the private FerretDB's backend), BENCH_FERRETDB_BIN.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { JwtService } from '@nestjs/jwt';
import mongoose, { Types } from 'mongoose';
import { io, Socket } from 'socket.io-client';
import { apiEnvSchema, parseEnv } from '@balai/config';
import { numberOption, runBench } from '../support/cli';
import { freePort, privateFerret } from '../support/private-db';
import { deleteKeysWithPrefix } from '../support/redis-keys';
import {
  AttendanceInterval,
  AttendanceIntervalSchema,
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

const argv = process.argv.slice(2);
const opt = (name: string, fallback: number) => numberOption(name, fallback, argv);
const JOINS = opt('joins', 300);
const WINDOW_MS = opt('window', 2) * 1000;
const PREFILL = opt('prefill', 20_000);
const OTHER_ENROLMENTS = opt('other-enrolments', 5_000);
const STAY_MS = opt('stay', 3) * 1000;
const WITH_WORKER = !argv.includes('--no-worker');
/** Give up waiting for attendance after this long (the figure is then "not within"). */
const STORE_TIMEOUT_MS = opt('store-timeout', 180) * 1000;
const POLL_MS = 500;

const base = parseEnv(apiEnvSchema, process.env);
const tag = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const REDIS_PREFIX = `bench_storm_${tag}`;
const INTERNAL_API_TOKEN = `bench-storm-${randomBytes(12).toString('hex')}`;

const log = (msg: string) => process.stderr.write(`[bench:storm ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
    : NaN;
};
const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : 'n/a');
const summary = (values: number[]) =>
  `p50 ${ms(pct(values, 50))}  p95 ${ms(pct(values, 95))}  max ${ms(pct(values, 100))}  (n=${values.length})`;

// ---------- CPU per process from /proc ----------

const TICKS = 100; // USER_HZ on Linux

function cpuTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return null;
  }
}

function allProcesses(): Array<{ pid: number; ppid: number; cmdline: string }> {
  const out: Array<{ pid: number; ppid: number; cmdline: string }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      out.push({ pid: Number(name), ppid, cmdline });
    } catch {
      /* gone */
    }
  }
  return out;
}

/** Samples the CPU of named process groups; reports the average over a phase and the peak 0.5 s window. */
class CpuMeter {
  private readonly last = new Map<string, number>();
  private readonly peaks = new Map<string, number>();
  private readonly starts = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private lastAt = 0;
  private startedAt = 0;

  constructor(private readonly groups: () => Record<string, number[]>) {}

  private totals(): Map<string, number> {
    const totals = new Map<string, number>();
    for (const [name, pids] of Object.entries(this.groups())) {
      let sum = 0;
      for (const pid of pids) sum += cpuTicks(pid) ?? 0;
      totals.set(name, sum);
    }
    return totals;
  }

  start(): void {
    this.peaks.clear();
    this.startedAt = this.lastAt = performance.now();
    const totals = this.totals();
    for (const [k, v] of totals) {
      this.last.set(k, v);
      this.starts.set(k, v);
    }
    this.timer = setInterval(() => {
      const now = performance.now();
      const totals = this.totals();
      for (const [k, v] of totals) {
        const share = ((v - (this.last.get(k) ?? v)) / TICKS / ((now - this.lastAt) / 1000)) * 100;
        this.peaks.set(k, Math.max(this.peaks.get(k) ?? 0, share));
        this.last.set(k, v);
      }
      this.lastAt = now;
    }, 500);
  }

  stop(): Record<string, { avg: number; peak: number; cpuSeconds: number }> {
    clearInterval(this.timer);
    const seconds = (performance.now() - this.startedAt) / 1000;
    const out: Record<string, { avg: number; peak: number; cpuSeconds: number }> = {};
    for (const [k, v] of this.totals()) {
      const used = (v - (this.starts.get(k) ?? v)) / TICKS;
      out[k] = { avg: (used / seconds) * 100, peak: this.peaks.get(k) ?? 0, cpuSeconds: used };
    }
    return out;
  }
}

// ---------- child processes ----------

/** BENCH_<NAME>_NODE_FLAGS adds node flags to one child, e.g. BENCH_LIVE_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/p". */
function startChild(name: string, entry: string, env: Record<string, string>): ChildProcess {
  const extra = (process.env[`BENCH_${name.toUpperCase()}_NODE_FLAGS`] ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...extra, '-r', '@swc-node/register', entry], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let tail = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  });
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') log(`${name} exited (${code ?? signal}): ${tail}`);
  });
  return child;
}

async function waitHealthy(url: string, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await sleep(300);
  }
  throw new Error(`${name} did not become healthy within 120 s`);
}

// ---------- simulated participants ----------

interface Participant {
  userId: string;
  token: string;
  socket?: Socket;
  connect?: number;
  joinAck?: number;
  transportAck?: number;
  leaveAck?: number;
  joinedAt?: number;
  leftAt?: number;
  error?: string;
}

type Ack = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

function connect(url: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
    const timer = setTimeout(() => reject(new Error('CONNECT_TIMEOUT')), 30_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(new Error(`CONNECT_ERROR ${error.message}`));
    });
  });
}

async function request(socket: Socket, event: string, payload: unknown): Promise<{ ms: number; ack: Ack }> {
  const t0 = performance.now();
  const ack = (await socket.timeout(30_000).emitWithAck(event, payload)) as Ack;
  return { ms: performance.now() - t0, ack };
}

async function main(): Promise<void> {
  const ferret = await privateFerret('storm');
  const mongoUrl = new URL(ferret?.uri ?? process.env.BENCH_MONGODB_URI!);
  mongoUrl.pathname = `/balai_bench_storm_${tag}`;
  const MONGODB_URI = mongoUrl.toString();
  const dbLabel = ferret?.label ?? `${mongoUrl.host} (BENCH_MONGODB_URI)`;
  const connection = await mongoose.createConnection(MONGODB_URI).asPromise();
  const models = {
    users: connection.model(User.name, UserSchema),
    courses: connection.model(Course.name, CourseSchema),
    sessions: connection.model(CourseSession.name, CourseSessionSchema),
    enrollments: connection.model(Enrollment.name, EnrollmentSchema),
    intervals: connection.model(AttendanceInterval.name, AttendanceIntervalSchema),
  };
  const children: Record<string, ChildProcess> = {};
  const cleanup = async () => {
    for (const child of Object.values(children)) child.kill('SIGTERM');
    await sleep(500);
    await connection.dropDatabase().catch(() => undefined);
    await connection.close().catch(() => undefined);
    ferret?.stop();
    await deleteKeysWithPrefix(base.REDIS_URL, REDIS_PREFIX).catch(() => undefined);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  try {
    // --- Data: one live session, N enrolled participants, other courses' enrolments and intervals. ---
    await Promise.all(Object.values(models).map((m) => m.createIndexes()));
    const now = Date.now();
    const trainerId = new Types.ObjectId();
    await models.users.create({
      _id: trainerId,
      email: `bench-storm-${tag}-trainer@bench.local`,
      name: 'Pelatih Bench',
      role: 'trainer',
      passwordHash: 'x',
    });
    const course = await models.courses.create({
      code: `BENCH-S-${tag.toUpperCase()}`.slice(0, 32),
      title: 'Bench: sosialisasi serentak',
      category: 'Bench',
      type: 'sosialisasi',
      status: 'ongoing',
      capacity: 10_000,
      seatsTaken: JOINS,
      trainerIds: [trainerId],
      registrationOpensAt: new Date(now - 30 * 86_400_000),
      registrationClosesAt: new Date(now + 86_400_000),
      lessonHours: 2,
    });
    const session = await models.sessions.create({
      courseId: course._id,
      title: 'Sesi serentak',
      startsAt: new Date(now - 5 * 60_000),
      endsAt: new Date(now + 2 * 3600_000),
      trainerIds: [trainerId],
      status: 'live',
    });
    const users = Array.from({ length: JOINS }, (_, i) => ({
      _id: new Types.ObjectId(),
      email: `bench-storm-${tag}-${i}@bench.local`,
      name: `Peserta Bench ${i}`,
      role: 'participant',
      passwordHash: 'x',
    }));
    await models.users.insertMany(users, { lean: true });
    const enrolment = (courseId: Types.ObjectId, userId: Types.ObjectId, seq: number) => ({
      _id: enrollmentId(courseId, userId),
      courseId,
      userId,
      status: 'enrolled',
      seq,
    });
    await models.enrollments.insertMany(
      users.map((u, i) => enrolment(course._id, u._id, i + 1)),
      { lean: true },
    );
    // Other courses: enrolments and finished intervals, so the collections look like a year of use.
    const otherCourses = Array.from({ length: 50 }, () => new Types.ObjectId());
    const otherSessions = otherCourses.map(() => new Types.ObjectId());
    for (let done = 0; done < OTHER_ENROLMENTS; done += 1000) {
      const n = Math.min(1000, OTHER_ENROLMENTS - done);
      await models.enrollments.insertMany(
        Array.from({ length: n }, (_, i) => enrolment(otherCourses[(done + i) % 50]!, new Types.ObjectId(), done + i)),
        { lean: true },
      );
    }
    for (let done = 0; done < PREFILL; done += 1000) {
      const n = Math.min(1000, PREFILL - done);
      await models.intervals.insertMany(
        Array.from({ length: n }, (_, i) => {
          const k = done + i;
          const joinedAt = new Date(now - 86_400_000 - k * 1000);
          return {
            sessionId: otherSessions[k % 50]!,
            courseId: otherCourses[k % 50]!,
            userId: new Types.ObjectId(),
            joinEventId: `prefill-join-${tag}-${k}`,
            joinedAt,
            leftAt: new Date(joinedAt.getTime() + 3600_000),
            leaveEventId: `prefill-leave-${tag}-${k}`,
            leaveReason: 'left',
          };
        }),
        { lean: true },
      );
    }
    log(`seeded ${JOINS} participants, ${OTHER_ENROLMENTS} other enrolments, ${PREFILL} other intervals on ${dbLabel}`);

    // --- The services, production code path, on this bench's database and prefix. ---
    const apiPort = await freePort();
    const livePort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const liveUrl = `http://127.0.0.1:${livePort}`;
    const shared = { MONGODB_URI, REDIS_PREFIX, INTERNAL_API_TOKEN, NODE_ENV: 'development' };
    children.api = startChild('api', 'apps/api/src/main.ts', {
      ...shared,
      API_PORT: String(apiPort),
      API_HOST: '127.0.0.1',
      WEB_DIST_DIR: '',
    });
    children.live = startChild('live', 'apps/live/src/main.ts', {
      ...shared,
      LIVE_PORT: String(livePort),
      LIVE_HOST: '127.0.0.1',
      API_INTERNAL_URL: apiUrl,
      MEDIASOUP_LOG_LEVEL: 'none',
      MEDIASOUP_MIN_PORT: '46000',
      MEDIASOUP_MAX_PORT: String(46000 + Math.max(999, JOINS * 2 + 100)),
    });
    if (WITH_WORKER)
      children.worker = startChild('worker', 'apps/worker/src/main.ts', {
        ...shared,
        WORKER_HEALTH_PORT: String(await freePort()),
      });
    await Promise.all([
      waitHealthy(`${apiUrl}/api/health`, children.api, 'api'),
      waitHealthy(`${liveUrl}/health`, children.live, 'live'),
    ]);
    log('api and live up');

    const processes = allProcesses();
    const redisPid = processes.find(
      (p) =>
        /redis-server/.test(p.cmdline) &&
        new URL(base.REDIS_URL).port &&
        p.cmdline.includes(`:${new URL(base.REDIS_URL).port}`),
    )?.pid;
    const ferretPid =
      ferret?.pid ??
      processes.find((p) => /ferretdb/.test(p.cmdline) && p.cmdline.includes(`:${mongoUrl.port || '27017'}`))?.pid;
    const meter = new CpuMeter(() => {
      const live = children.live.pid!;
      const groups: Record<string, number[]> = {
        api: [children.api.pid!],
        live: [live],
        'mediasoup workers': allProcesses()
          .filter((p) => p.ppid === live)
          .map((p) => p.pid),
        ferretdb: ferretPid ? [ferretPid] : [],
        // FerretDB on PostgreSQL: the private cluster's server processes, or (BENCH_MONGODB_URI) all of
        // this machine's PostgreSQL, whoever uses it.
        postgresql: ferret
          ? ferret.pids().filter((pid) => pid !== ferret.pid)
          : allProcesses()
              .filter((p) => /(^|\/)postgres(: |\s)/.test(p.cmdline))
              .map((p) => p.pid),
        redis: redisPid ? [redisPid] : [],
        'bench (clients)': [process.pid],
      };
      if (children.worker) groups.worker = [children.worker.pid!];
      return groups;
    });

    const jwt = new JwtService({ secret: base.JWT_SECRET });
    const token = (sub: string, role: string, name: string) =>
      jwt.sign({ sub, role, name, typ: 'access' }, { algorithm: 'HS256', expiresIn: 3600 });
    const participants: Participant[] = users.map((u) => ({
      userId: u._id.toHexString(),
      token: token(u._id.toHexString(), 'participant', u.name),
    }));
    const sessionId = session._id.toHexString();

    // A trainer in the room first (as in a real webinar), so the room exists.
    const host = await connect(liveUrl, token(trainerId.toHexString(), 'trainer', 'Pelatih Bench'));
    const hostJoin = await request(host, 'room:join', { sessionId });
    if (!hostJoin.ack.ok) throw new Error(`host join refused: ${hostJoin.ack.error.code}`);

    // --- The storm. ---
    const errors = new Map<string, number>();
    const fail = (p: Participant, code: string) => {
      p.error ??= code;
      errors.set(code, (errors.get(code) ?? 0) + 1);
    };
    const load0 = loadavg();
    log(`storm: ${JOINS} joins over ${WINDOW_MS / 1000} s`);
    meter.start();
    const stormStart = performance.now();
    const progress = setInterval(() => {
      const acked = participants.filter((p) => p.joinAck !== undefined).length;
      const transports = participants.filter((p) => p.transportAck !== undefined).length;
      log(`  ${acked} joined, ${transports} with a transport, ${errors.size ? [...errors].join(' ') : 'no errors'}`);
    }, 5000);
    let lastJoinAction = 0;
    await Promise.all(
      participants.map(async (p, i) => {
        await sleep((i * WINDOW_MS) / JOINS);
        const c0 = performance.now();
        try {
          p.socket = await connect(liveUrl, p.token);
          p.connect = performance.now() - c0;
        } catch (error) {
          return fail(p, (error as Error).message.split(' ')[0]!);
        }
        p.joinedAt = performance.now();
        lastJoinAction = Math.max(lastJoinAction, p.joinedAt);
        try {
          const joined = await request(p.socket, 'room:join', { sessionId });
          if (!joined.ack.ok) return fail(p, joined.ack.error.code);
          p.joinAck = joined.ms;
          const transport = await request(p.socket, 'transport:create', { direction: 'recv' });
          if (!transport.ack.ok) return fail(p, `transport:${transport.ack.error.code}`);
          p.transportAck = transport.ms;
        } catch {
          fail(p, 'ACK_TIMEOUT');
        }
      }),
    );
    clearInterval(progress);
    const joinPhaseMs = performance.now() - stormStart;
    const joined = participants.filter((p) => p.joinAck !== undefined);
    const joinCpu = meter.stop();
    const loadJoin = loadavg();

    // --- Time until every join is stored (polling the database). ---
    meter.start();
    const sid = session._id;
    const waitStored = async (done: (rows: Array<Pick<AttendanceInterval, 'leftAt'>>) => boolean) => {
      const deadline = performance.now() + STORE_TIMEOUT_MS;
      let said = performance.now();
      for (;;) {
        const rows = await models.intervals.find({ sessionId: sid }, { leftAt: 1 }).lean();
        if (done(rows)) return performance.now();
        if (performance.now() - said > 5000) {
          said = performance.now();
          log(`  stored so far: ${rows.length} intervals, ${rows.filter((r) => r.leftAt).length} closed`);
        }
        if (performance.now() > deadline) return NaN;
        await sleep(POLL_MS);
      }
    };
    const participantIds = new Set(joined.map((p) => p.userId));
    const openStored = await waitStored((rows) => rows.length >= joined.length + 1);
    const storeJoinCpu = meter.stop();
    const joinsStoredAfter = openStored - lastJoinAction;
    log(`joins stored ${ms(joinsStoredAfter)} after the last join; staying ${STAY_MS / 1000} s`);
    await sleep(STAY_MS);

    // --- Everyone leaves over the same window. ---
    meter.start();
    let lastLeaveAction = 0;
    await Promise.all(
      joined.map(async (p, i) => {
        await sleep((i * WINDOW_MS) / joined.length);
        p.leftAt = performance.now();
        lastLeaveAction = Math.max(lastLeaveAction, p.leftAt);
        try {
          const left = await request(p.socket!, 'room:leave', {});
          if (!left.ack.ok) fail(p, `leave:${left.ack.error.code}`);
          else p.leaveAck = left.ms;
        } catch {
          fail(p, 'LEAVE_ACK_TIMEOUT');
        }
      }),
    );
    const leaveCpu = meter.stop();
    meter.start();
    const closedStored = await waitStored((rows) => rows.filter((r) => r.leftAt).length >= joined.length);
    const storeLeaveCpu = meter.stop();
    const leavesStoredAfter = closedStored - lastLeaveAction;
    const load1 = loadavg();

    // Per-event storage lag: the API's createdAt/updatedAt minus the action's instant.
    const rows = await models.intervals
      .find({ sessionId: sid }, { userId: 1, joinedAt: 1, leftAt: 1, createdAt: 1, updatedAt: 1 })
      .lean<Array<AttendanceInterval & { createdAt: Date; updatedAt: Date }>>();
    const mine = rows.filter((r) => participantIds.has(String(r.userId)));
    const joinLag = mine.map((r) => r.createdAt.getTime() - r.joinedAt.getTime());
    const leaveLag = mine.filter((r) => r.leftAt).map((r) => r.updatedAt.getTime() - r.leftAt!.getTime());
    const perUser = new Map<string, number>();
    for (const r of mine) perUser.set(String(r.userId), (perUser.get(String(r.userId)) ?? 0) + 1);
    const doubled = [...perUser.values()].filter((n) => n > 1).length;
    const missing = joined.length - perUser.size;

    for (const p of participants) p.socket?.close();
    host.close();

    const cpuLine = (label: string, cpu: Record<string, { avg: number; peak: number; cpuSeconds: number }>) =>
      `  ${label.padEnd(22)} ` +
      Object.entries(cpu)
        .map(([k, v]) => `${k} ${v.avg.toFixed(0)}% (peak ${v.peak.toFixed(0)}%, ${v.cpuSeconds.toFixed(1)} CPU-s)`)
        .join(', ');
    const lines = [
      `Balai bench:storm — ${JOINS} simulated participants joining one session over ${WINDOW_MS / 1000} s (socket.io, no media), ` +
        `api + live + ${WITH_WORKER ? 'worker ' : ''}as child processes, ${dbLabel}, Redis ${base.REDIS_URL}`,
      `collections               ${PREFILL} other attendance intervals, ${OTHER_ENROLMENTS} other enrolments`,
      `join phase                ${(joinPhaseMs / 1000).toFixed(1)} s; joined ${joined.length} of ${JOINS}`,
      `socket connect            ${summary(participants.filter((p) => p.connect !== undefined).map((p) => p.connect!))}`,
      `room:join ack             ${summary(joined.map((p) => p.joinAck!))}`,
      `transport:create ack      ${summary(participants.filter((p) => p.transportAck !== undefined).map((p) => p.transportAck!))}`,
      `room:leave ack            ${summary(joined.filter((p) => p.leaveAck !== undefined).map((p) => p.leaveAck!))}`,
      `errors by code            ${errors.size ? [...errors.entries()].map(([k, v]) => `${k}: ${v}`).join(', ') : 'none'}`,
      `all joins stored          ${ms(joinsStoredAfter)} after the last join (polled every ${POLL_MS} ms)`,
      `all leaves stored         ${ms(leavesStoredAfter)} after the last leave`,
      `join stored after action  ${summary(joinLag)}`,
      `leave stored after action ${summary(leaveLag)}`,
      `intervals                 ${perUser.size} people with an interval, ${missing} missing, ${doubled} with more than one`,
      `CPU (average over the phase, peak 0.5 s window, CPU seconds used in the phase; 100% = one core):`,
      cpuLine('joins', joinCpu),
      cpuLine('until joins stored', storeJoinCpu),
      cpuLine('leaves', leaveCpu),
      cpuLine('until leaves stored', storeLeaveCpu),
      `load average (1/5/15)     before ${load0.map((x) => x.toFixed(2)).join(' ')}, after joins ${loadJoin.map((x) => x.toFixed(2)).join(' ')}, at the end ${load1.map((x) => x.toFixed(2)).join(' ')}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    if (errors.size || missing || doubled) process.exitCode = 2;
  } finally {
    await cleanup();
  }
}

runBench(main);
