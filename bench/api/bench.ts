/**
 * `npm run bench:api`: load on loopback against the seeded data, reporting
 * requests/s and p50/p99 latency for the public catalogue, a course detail and
 * enrolment. Seeds (idempotently) first, then starts the API as a child process
 * (production code path, `apps/api/src/main.ts`) unless BENCH_API_URL points at
 * a running one.
 *
 * Enrolment is measured on a dedicated BENCH-* course with 10,000 seats, each
 * request with a distinct participant token (minted with the deployment's
 * JWT_SECRET), so every request is a real enrolment, not a 409 repeat. The
 * course is cancelled afterwards so it leaves the public catalogue.
 *
 * Env: BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (default 20), BENCH_API_URL.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { JwtService } from '@nestjs/jwt';
import { Types } from 'mongoose';
import { apiEnvSchema, parseEnv } from '@balai/config';
import { DEMO_PASSWORD, seed } from '../../infra/seed/seed';
import { runBench } from '../support/cli';

// autocannon ships no types; this is the part used here.
interface AutocannonResult {
  requests: { average: number; mean: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
}
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  requests?: AutocannonRequest[];
}) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

const env = parseEnv(apiEnvSchema, process.env);
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitHealthy(url: string, child: ChildProcess | null): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error('API did not become healthy within 60 s');
}

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function main(): Promise<void> {
  const seeded = await seed(env.MONGODB_URI);
  let child: ChildProcess | null = null;
  let url = process.env.BENCH_API_URL ?? '';
  if (!url) {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/main.ts'], {
      env: { ...process.env, API_PORT: String(port), API_HOST: '127.0.0.1', LOG_LEVEL: 'error', WEB_DIST_DIR: '' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  try {
    await waitHealthy(url, child);
    const login = await json<{ accessToken: string }>(
      await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: seeded.admin, password: DEMO_PASSWORD }),
      }),
    );
    const admin = { authorization: `Bearer ${login.accessToken}`, 'content-type': 'application/json' };
    const now = Date.now();
    const bench = await json<{ id: string }>(
      await fetch(`${url}/api/courses`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({
          code: `BENCH-${now.toString(36).toUpperCase()}`,
          title: 'Bench: kursus uji beban',
          category: 'Bench',
          type: 'sosialisasi',
          capacity: 10_000,
          lessonHours: 2,
          registrationOpensAt: new Date(now - 86_400_000).toISOString(),
          registrationClosesAt: new Date(now + 30 * 86_400_000).toISOString(),
        }),
      }),
    );
    const sessionStart = new Date(now + 40 * 86_400_000);
    await json(
      await fetch(`${url}/api/courses/${bench.id}/sessions`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({
          title: 'Sesi bench',
          startsAt: sessionStart.toISOString(),
          endsAt: new Date(sessionStart.getTime() + 3_600_000).toISOString(),
        }),
      }),
    );
    await json(
      await fetch(`${url}/api/courses/${bench.id}/status`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ status: 'published' }),
      }),
    );

    const detailId = seeded.courses.find((c) => c.status === 'published')!.id;
    const jwt = new JwtService({ secret: env.JWT_SECRET });
    const tokens = Array.from({ length: 50_000 }, (_, i) =>
      jwt.sign(
        { sub: new Types.ObjectId().toHexString(), role: 'participant', name: `Bench ${i}`, typ: 'access' },
        { algorithm: 'HS256', expiresIn: 3600 },
      ),
    );
    let next = 0;

    const scenarios: Array<[string, () => Promise<AutocannonResult>]> = [
      ['GET  /api/catalogue', () => autocannon({ url: `${url}/api/catalogue`, connections, duration })],
      [`GET  /api/catalogue/:id`, () => autocannon({ url: `${url}/api/catalogue/${detailId}`, connections, duration })],
      [
        'POST /api/courses/:id/enrollments',
        () =>
          autocannon({
            url,
            connections,
            duration,
            requests: [
              {
                method: 'POST',
                path: `/api/courses/${bench.id}/enrollments`,
                setupRequest: (req) => ({
                  ...req,
                  headers: { ...(req.headers ?? {}), authorization: `Bearer ${tokens[next++ % tokens.length]}` },
                }),
              },
            ],
          }),
      ],
    ];
    const rows: string[] = [];
    for (const [name, run] of scenarios) {
      const r = await run();
      rows.push(
        `${name.padEnd(36)} ${r.requests.average.toFixed(0).padStart(8)} ${String(r.latency.p50).padStart(8)} ${String(r.latency.p99).padStart(8)} ${String(r['2xx']).padStart(8)} ${String(r.non2xx).padStart(7)} ${String(r.errors + r.timeouts).padStart(6)}`,
      );
    }
    await fetch(`${url}/api/courses/${bench.id}/status`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ status: 'cancelled' }),
    });
    process.stdout.write(
      [
        `Balai API bench: ${connections} connections, ${duration} s each, loopback ${url}`,
        `${'scenario'.padEnd(36)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'2xx'.padStart(8)} ${'non2xx'.padStart(7)} ${'errors'.padStart(6)}`,
        ...rows,
      ].join('\n') + '\n',
    );
  } finally {
    child?.kill('SIGTERM');
  }
}

runBench(main);
