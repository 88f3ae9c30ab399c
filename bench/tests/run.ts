/**
 * `npm run bench:tests` (issue 11): 500 participants answering a 20-question
 * post-test in the same minute, each answer saved as it is given, against the
 * real API (child process, production code path) on the shared FerretDB and
 * Redis. Prints answers/s, save latency (p50/p95/p99), and checks afterwards
 * that no answer was lost or doubled (every attempt holds exactly its 20 latest
 * answers) and that every submitted score equals the one computed here.
 *
 * The database: by default a private FerretDB (the binary `infra/balai`
 * builds into ~/.cache/balai, SQLite in a temporary directory), so the figure
 * is this workload's and not whatever else the shared development server is
 * doing; BENCH_MONGODB_URI=mongodb://... uses that server instead (a real
 * MongoDB, or the shared FerretDB). Its own database and Redis prefix either
 * way, removed at the end.
 * The private FerretDB runs over a private PostgreSQL 15 cluster (the project's
 * default) or, with BENCH_DB_BACKEND=sqlite, over SQLite (bench/support/private-db.ts).
 * Besides the latencies it prints the CPU seconds the API process and the
 * database processes spent during the minute (where the time goes).
 * Env: BENCH_PARTICIPANTS (500), BENCH_QUESTIONS (20), BENCH_WINDOW_S (60),
 *      BENCH_CHANGE_SHARE (0.1: share of answers changed once more later), BENCH_MONGODB_URI,
 *      BENCH_DB_BACKEND (postgresql | sqlite).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { randomBytes } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import mongoose, { Types } from 'mongoose';
import { apiEnvSchema, parseEnv } from '@balai/config';
import { runBench } from '../support/cli';
import { freePort, privateFerret } from '../support/private-db';
import { deleteKeysWithPrefix } from '../support/redis-keys';
import {
  AssessmentSettings,
  AssessmentSettingsSchema,
  Course,
  CourseSchema,
  CourseSession,
  CourseSessionSchema,
  Enrollment,
  enrollmentId,
  EnrollmentSchema,
  Question,
  QuestionSchema,
  TestAnswer,
  TestAnswerSchema,
  TestAttempt,
  TestAttemptSchema,
  User,
  UserSchema,
} from '@balai/database';

const PARTICIPANTS = Number(process.env.BENCH_PARTICIPANTS ?? 500);
const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 20);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_S ?? 60) * 1000;
const CHANGE_SHARE = Number(process.env.BENCH_CHANGE_SHARE ?? 0.1);

const base = parseEnv(apiEnvSchema, process.env);
const tag = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const REDIS_PREFIX = `bench_tests_${tag}`;

/** CPU seconds (user + system, including reaped children) of these processes so far. */
function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14-17 of stat (utime, stime, cutime, cstime), counted from field 3 here.
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      /* gone */
    }
  }
  return ticks / 100;
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error('API did not become healthy within 90 s');
}

const log = (msg: string) => process.stderr.write(`[bench:tests ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface AttemptView {
  id: string;
  questions: Array<{ id: string; options: Array<{ id: string }> }>;
  percent?: number;
  score?: number;
}

async function main(): Promise<void> {
  const ferret = await privateFerret('tests');
  const mongoUrl = new URL(ferret?.uri ?? process.env.BENCH_MONGODB_URI!);
  mongoUrl.pathname = `/balai_bench_tests_${tag}`;
  const MONGODB_URI = mongoUrl.toString();
  const dbLabel = ferret?.label ?? `${mongoUrl.host} (BENCH_MONGODB_URI)`;
  const connection = await mongoose.createConnection(MONGODB_URI).asPromise();
  const models = {
    users: connection.model(User.name, UserSchema),
    courses: connection.model(Course.name, CourseSchema),
    sessions: connection.model(CourseSession.name, CourseSessionSchema),
    enrollments: connection.model(Enrollment.name, EnrollmentSchema),
    questions: connection.model(Question.name, QuestionSchema),
    settings: connection.model(AssessmentSettings.name, AssessmentSettingsSchema),
    attempts: connection.model(TestAttempt.name, TestAttemptSchema),
    answers: connection.model(TestAnswer.name, TestAnswerSchema),
  };
  let child: ChildProcess | null = null;
  const cleanup = async () => {
    child?.kill('SIGTERM');
    await connection.dropDatabase().catch(() => undefined);
    await connection.close().catch(() => undefined);
    ferret?.stop();
    await deleteKeysWithPrefix(base.REDIS_URL, REDIS_PREFIX).catch(() => undefined);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  try {
    // --- Data: one finished course (post-test open), a 20-question bank, 500 enrolled participants. ---
    const now = Date.now();
    const course = await models.courses.create({
      code: `BENCH-T-${tag.toUpperCase()}`.slice(0, 32),
      title: 'Bench: post-test serentak',
      category: 'Bench',
      type: 'pelatihan',
      status: 'completed',
      capacity: 10_000,
      seatsTaken: PARTICIPANTS,
      registrationOpensAt: new Date(now - 30 * 86_400_000),
      registrationClosesAt: new Date(now - 2 * 86_400_000),
      lessonHours: 8,
    });
    await models.sessions.create({
      courseId: course._id,
      title: 'Sesi',
      startsAt: new Date(now - 3 * 3600_000),
      endsAt: new Date(now - 3600_000),
      status: 'ended',
    });
    const correctOf = new Map<string, string>();
    const bank = Array.from({ length: QUESTIONS }, (_, i) => {
      const options = ['a', 'b', 'c', 'd'].map((l) => ({
        id: `${l}${i}`,
        text: `Pilihan ${l.toUpperCase()} soal ${i + 1}`,
        correct: l === 'a',
      }));
      return {
        _id: new Types.ObjectId(),
        courseId: course._id,
        type: 'single',
        text: `Soal nomor ${i + 1}`,
        points: 1,
        options,
        position: i,
      };
    });
    for (const q of bank) correctOf.set(q._id.toHexString(), `a${q.position}`);
    await models.questions.insertMany(bank);
    await models.settings.create({
      _id: course._id,
      post: { enabled: true, timeLimitMinutes: 30, maxAttempts: 1, openDays: 7 },
    });
    const users = Array.from({ length: PARTICIPANTS }, (_, i) => ({
      _id: new Types.ObjectId(),
      email: `bench-${tag}-${i}@bench.local`,
      name: `Peserta Bench ${i}`,
      role: 'participant',
      passwordHash: 'x',
    }));
    await models.users.insertMany(users, { lean: true });
    await models.enrollments.insertMany(
      users.map((u, i) => ({
        _id: enrollmentId(course._id, u._id),
        courseId: course._id,
        userId: u._id,
        status: 'enrolled',
        seq: i + 1,
      })),
      { lean: true },
    );

    log(
      `seeded ${PARTICIPANTS} participants and ${QUESTIONS} questions in ${mongoUrl.pathname.slice(1)} on ${dbLabel}`,
    );
    // --- The API, production code path, on this bench's database and prefix. ---
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // BENCH_API_NODE_ARGS: extra node flags for the API (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof to profile it).
    const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
    child = spawn(process.execPath, [...nodeArgs, '-r', '@swc-node/register', 'apps/api/src/main.ts'], {
      env: {
        ...process.env,
        MONGODB_URI,
        REDIS_PREFIX,
        API_PORT: String(port),
        API_HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
        WEB_DIST_DIR: '',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitHealthy(url, child);
    log('API up');
    const jwt = new JwtService({ secret: base.JWT_SECRET });
    const auth = users.map((u) => ({
      authorization: `Bearer ${jwt.sign({ sub: u._id.toHexString(), role: 'participant', name: u.name, typ: 'access' }, { algorithm: 'HS256', expiresIn: 3600 })}`,
      'content-type': 'application/json',
    }));

    // --- Everyone opens the post-test (not timed as answers). ---
    const startLat: number[] = [];
    const views = new Array<AttemptView>(PARTICIPANTS);
    // Opening is not what is measured: 25 at a time, retried, so the minute starts with every attempt open.
    let nextUser = 0;
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        for (let i = nextUser++; i < PARTICIPANTS; i = nextUser++) {
          for (let tries = 0; ; tries += 1) {
            const t0 = performance.now();
            try {
              const res = await fetch(`${url}/api/courses/${course._id.toHexString()}/tests/post/attempts`, {
                method: 'POST',
                headers: auth[i],
              });
              if (res.status !== 201 && res.status !== 200) throw new Error(`start ${res.status} ${await res.text()}`);
              views[i] = (await res.json()) as AttemptView;
              startLat.push(performance.now() - t0);
              break;
            } catch (error) {
              if (tries >= 4) throw error;
              await sleep(1000);
            }
          }
          if ((i + 1) % 100 === 0) log(`${i + 1} attempts open`);
        }
      }),
    );

    log(`${PARTICIPANTS} attempts started`);
    // --- The minute: each participant answers every question at a random moment of the window, some change their mind later. ---
    const saveLat: number[] = [];
    let failed = 0;
    const statuses = new Map<number, number>();
    const finalChoice: Array<Map<string, string>> = views.map(() => new Map<string, string>());
    const cpuBefore = { api: cpuSeconds([child.pid!]), db: ferret ? cpuSeconds(ferret.pids()) : NaN };
    const began = performance.now();
    await Promise.all(
      views.map(async (view, i) => {
        const plan: Array<{ at: number; qid: string; option: string }> = [];
        const gap = WINDOW_MS / view.questions.length;
        view.questions.forEach((q, k) => {
          plan.push({
            at: k * gap + Math.random() * gap * 0.9,
            qid: q.id,
            option: q.options[Math.floor(Math.random() * q.options.length)]!.id,
          });
          if (Math.random() < CHANGE_SHARE)
            plan.push({
              at: Math.min(WINDOW_MS - 1, k * gap + gap * 0.95),
              qid: q.id,
              option: q.options[Math.floor(Math.random() * q.options.length)]!.id,
            });
        });
        plan.sort((a, b) => a.at - b.at);
        for (const step of plan) {
          const wait = step.at - (performance.now() - began);
          if (wait > 0) await sleep(wait);
          const t0 = performance.now();
          let ok = false;
          for (let tries = 0; tries < 3 && !ok; tries += 1) {
            try {
              const res = await fetch(`${url}/api/attempts/${view.id}/answers/${step.qid}`, {
                method: 'PUT',
                headers: auth[i],
                body: JSON.stringify({ optionIds: [step.option] }),
              });
              await res.arrayBuffer();
              statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
              ok = res.status === 200;
            } catch {
              statuses.set(0, (statuses.get(0) ?? 0) + 1);
            }
          }
          saveLat.push(performance.now() - t0);
          if (ok) finalChoice[i]!.set(step.qid, step.option);
          else failed += 1;
        }
      }),
    );
    const elapsed = performance.now() - began;
    const load = loadavg();
    const cpu = {
      api: cpuSeconds([child.pid!]) - cpuBefore.api,
      db: ferret ? cpuSeconds(ferret.pids()) - cpuBefore.db : NaN,
    };

    log(`answers done in ${(elapsed / 1000).toFixed(1)} s`);
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const saves = saveLat.length;
    {
      // The minute's figures first (the submit phase below only checks the outcome).
      const sorted = [...saveLat].sort((a, b) => a - b);
      log(
        `answers ${saves - failed}/${saves} in ${(elapsed / 1000).toFixed(1)} s = ${((saves - failed) / (elapsed / 1000)).toFixed(1)}/s; save p50 ${ms(pct(sorted, 50))} p95 ${ms(pct(sorted, 95))} p99 ${ms(pct(sorted, 99))}; CPU API ${cpu.api.toFixed(1)} s, DB ${cpu.db.toFixed(1)} s; load ${load.map((x) => x.toFixed(2)).join(' ')}`,
      );
    }
    // --- Submit everyone (20 at a time: the minute is what is measured); then check the stored answers and scores. ---
    const submitLat: number[] = [];
    const scores = new Array<number>(PARTICIPANTS);
    let nextSubmit = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let i = nextSubmit++; i < PARTICIPANTS; i = nextSubmit++) {
          const view = views[i]!;
          const t0 = performance.now();
          const res = await fetch(`${url}/api/attempts/${view.id}/submit`, { method: 'POST', headers: auth[i] });
          submitLat.push(performance.now() - t0);
          scores[i] = ((await res.json()) as AttemptView).score ?? -1;
          if ((i + 1) % 100 === 0) log(`${i + 1} submitted`);
        }
      }),
    );
    let lost = 0;
    let doubled = 0;
    let wrongScore = 0;
    // One read of the course's answers (a filter per attempt would scan the collection 500 times on FerretDB).
    const allRows = await models.answers.find({ courseId: course._id }).lean();
    const rowsOf = new Map<string, typeof allRows>();
    for (const r of allRows) rowsOf.set(String(r.attemptId), [...(rowsOf.get(String(r.attemptId)) ?? []), r]);
    for (const [i, view] of views.entries()) {
      const rows = rowsOf.get(view.id) ?? [];
      const byQuestion = new Map<string, number>();
      for (const r of rows) byQuestion.set(r.questionId, (byQuestion.get(r.questionId) ?? 0) + 1);
      for (const [qid, option] of finalChoice[i]!) {
        const stored = rows.filter((r) => r.questionId === qid);
        if (stored.length === 0 || stored.at(-1)!.optionIds.join() !== option) lost += 1;
      }
      for (const n of byQuestion.values()) if (n > 1) doubled += n - 1;
      const expected = [...finalChoice[i]!.entries()].filter(([qid, option]) => correctOf.get(qid) === option).length;
      if (scores[i] !== expected) wrongScore += 1;
    }
    const sorted = [...saveLat].sort((a, b) => a - b);
    const s = [...startLat].sort((a, b) => a - b);
    const sub = [...submitLat].sort((a, b) => a - b);
    process.stdout.write(
      [
        `Balai bench:tests — ${PARTICIPANTS} participants x ${QUESTIONS} questions in ${(WINDOW_MS / 1000).toFixed(0)} s (${(CHANGE_SHARE * 100).toFixed(0)} % of answers changed once), API child process on ${url}, ${dbLabel}`,
        `answers saved            ${saves - failed} of ${saves} in ${(elapsed / 1000).toFixed(1)} s = ${((saves - failed) / (elapsed / 1000)).toFixed(1)} answers/s`,
        `save latency             p50 ${ms(pct(sorted, 50))}  p95 ${ms(pct(sorted, 95))}  p99 ${ms(pct(sorted, 99))}  max ${ms(sorted.at(-1) ?? NaN)}`,
        `start attempt latency    p50 ${ms(pct(s, 50))}  p95 ${ms(pct(s, 95))}`,
        `submit latency (20 at a time) p50 ${ms(pct(sub, 50))}  p95 ${ms(pct(sub, 95))}`,
        `CPU during the minute    API process ${cpu.api.toFixed(1)} s, database processes ${Number.isNaN(cpu.db) ? 'n/a' : `${cpu.db.toFixed(1)} s`} (${((1000 * cpu.api) / Math.max(1, saves - failed)).toFixed(2)} / ${((1000 * cpu.db) / Math.max(1, saves - failed)).toFixed(2)} ms per answer)`,
        `HTTP statuses            ${[...statuses.entries()].map(([k, v]) => `${k || 'network'}: ${v}`).join(', ')}`,
        `failed saves             ${failed}`,
        `lost answers             ${lost}`,
        `doubled answers          ${doubled}`,
        `scores not as computed   ${wrongScore}`,
        `load average (1/5/15)    ${load.map((x) => x.toFixed(2)).join(' ')} (at the end of the minute)`,
      ].join('\n') + '\n',
    );
    if (lost || doubled || wrongScore || failed) process.exitCode = 2;
  } finally {
    await cleanup();
  }
}

runBench(main);
