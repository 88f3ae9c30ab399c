/**
 * Schema-based fuzzing of the real API with schemathesis (PyPI, pinned in requirements.txt).
 *
 * The API runs in this process on a random loopback port with the real database and Redis;
 * schemathesis is a child process that reads /api/docs-json and holds every answer to it:
 * no 5xx, and status code, content type, headers and body as documented. It runs once per
 * role (anonymous, participant, admin) with tokens minted for the run, so the login rate
 * limit never decides what is tested. Path ids and body ids are drawn, with a probability,
 * from objects this run created (dictionaries), so destructive operations (delete, cancel,
 * revoke, deactivate) only ever hit those; the rest are random.
 *
 * Used by test/integration/api/bad-input.fuzz.int-spec.ts (CI budget) and test/fuzz/run.ts
 * (`npm run fuzz:long`). Never point it at a database that holds data you want to keep.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type { RunningApp } from '../support/api-app';
import { createCourse, createSession, createUser, enrolDirect, inDays, TestUser } from '../support/factories';

export type FuzzRole = 'anonymous' | 'participant' | 'admin';

/** The checks that must never fail (others, such as positive_data_acceptance, judge business rules). */
export const FUZZ_CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
] as const;

export interface FuzzOptions {
  /** Examples per operation and role in the fuzzing phase (the coverage phase adds its own). */
  maxExamples: number;
  workers: number;
  reportDir: string;
  roles?: FuzzRole[];
  seed?: number;
  /** Print schemathesis' own output as it runs. */
  verbose?: boolean;
  /** Run the roles at the same time (default) or one after another. */
  parallel?: boolean;
  /**
   * What the anonymous role fuzzes: only the public operations (the CI budget; every protected
   * one answers 401 before reading anything) or all of them.
   */
  anonymousScope?: 'public' | 'all';
}

export interface RoleResult {
  role: FuzzRole;
  cases: number;
  operations: number;
  /** Failed check name -> number of distinct failures schemathesis reported. */
  failures: Record<string, number>;
  /** Errors of the run itself (schema problems, flaky failures, crashes), which also fail it. */
  errors: number;
  /**
   * Requests that got no answer within the request timeout (60 s): printed with their operation,
   * not failed, since a loaded CI machine can stall any request; a real hang shows up here.
   */
  timeouts: string[];
  exitCode: number;
  seconds: number;
  reportPath: string;
  /** Tail of schemathesis' output, for the failure message. */
  output: string;
  samples: string[];
}

export interface FuzzSummary {
  roles: RoleResult[];
  samples: string[];
  cases: number;
  failures: Record<string, number>;
  errors: number;
  timeouts: string[];
}

const running = new Set<ChildProcess>();

/** Stops schemathesis processes still running (a test that timed out must not leave them behind). */
export function stopFuzz(): void {
  for (const child of running) child.kill('SIGTERM');
  running.clear();
}

export function ensureSchemathesis(): string {
  return execFileSync('bash', [join(__dirname, 'ensure-schemathesis.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

interface Fixtures {
  admin: TestUser;
  trainer: TestUser;
  participant: TestUser;
  courseIds: string[];
  sessionIds: string[];
  userIds: string[];
  materialIds: string[];
  trainerIds: string[];
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** Objects the run works on: destructive cases hit these, never anything else. */
async function createFixtures(app: RunningApp): Promise<Fixtures> {
  const [admin, trainer, participant, other] = await Promise.all([
    createUser(app.app, 'admin'),
    createUser(app.app, 'trainer'),
    createUser(app.app, 'participant'),
    createUser(app.app, 'participant'),
  ]);
  const courseIds: string[] = [];
  const sessionIds: string[] = [];
  for (const status of ['draft', 'published', 'published', 'ongoing', 'completed'] as const) {
    const course = await createCourse(app.app, { status, trainerIds: [trainer.id], capacity: 3 });
    courseIds.push(course.id);
    const session = await createSession(app.app, course.id, status === 'completed' ? inDays(-3) : inDays(3), 120, [
      trainer.id,
    ]);
    sessionIds.push(session.id);
  }
  await enrolDirect(app.app, courseIds[1]!, participant.id);
  await enrolDirect(app.app, courseIds[3]!, participant.id);
  await enrolDirect(app.app, courseIds[4]!, other.id);
  const upload = await request(app.url)
    .post(`/api/courses/${courseIds[1]}/materials`)
    .set(admin.auth)
    .attach('file', PDF, { filename: 'materi.pdf', contentType: 'application/pdf' });
  if (upload.status !== 201) throw new Error(`fixture upload failed: ${upload.status} ${JSON.stringify(upload.body)}`);
  return {
    admin,
    trainer,
    participant,
    courseIds,
    sessionIds,
    // The admin's own id is left out: deactivating the account the run signs in with would end it.
    userIds: [participant.id, other.id, trainer.id],
    materialIds: [upload.body.id as string],
    trainerIds: [trainer.id],
  };
}

const tomlString = (value: string) => JSON.stringify(value);
const tomlList = (values: string[]) => `[${values.map(tomlString).join(', ')}]`;

function configFor(role: FuzzRole, fixtures: Fixtures, options: FuzzOptions, reportPath: string): string {
  const token = role === 'admin' ? fixtures.admin.token : role === 'participant' ? fixtures.participant.token : null;
  const all = [...fixtures.courseIds, ...fixtures.sessionIds, ...fixtures.userIds, ...fixtures.materialIds];
  const lines = [
    `# written by test/fuzz/fuzz-run.ts for the ${role} run`,
    `workers = ${options.workers}`,
    'request-timeout = 60.0',
    'suppress-health-check = ["too_slow", "filter_too_much", "data_too_large", "large_base_example"]',
    `seed = ${options.seed ?? Math.floor(Math.random() * 2 ** 31)}`,
    'warnings = false',
    '',
    '[generation]',
    `max-examples = ${options.maxExamples}`,
    'mode = "all"',
    // Shrinking re-runs failing cases many times; the report keeps the failing case anyway.
    'no-shrink = true',
    '',
    '[phases]',
    'stateful.enabled = false',
    // Methods a path does not have (404/405) are not what the checks below are about.
    'coverage.unexpected-methods = []',
    '',
    // Each role signs in with the token minted for it; no account of schemathesis' own.
    '[auth]',
    'auto-signup = false',
    '',
    '[checks]',
    'enabled = false',
    ...FUZZ_CHECKS.map((check) => `${check}.enabled = true`),
    '',
    '[reports.ndjson]',
    `path = ${tomlString(reportPath)}`,
    '',
    '[dictionaries.courses]',
    `values = ${tomlList(fixtures.courseIds)}`,
    '[dictionaries.sessions]',
    `values = ${tomlList(fixtures.sessionIds)}`,
    '[dictionaries.users]',
    `values = ${tomlList(fixtures.userIds)}`,
    '[dictionaries.trainers]',
    `values = ${tomlList(fixtures.trainerIds)}`,
    '[dictionaries.any]',
    `values = ${tomlList(all)}`,
    '',
    // The health report answers 503 when a dependency is slow or down: that is its documented job.
    '[[operations]]',
    'include-path = "/api/health"',
    'checks.not_a_server_error.enabled = false',
    '',
    '[parameters]',
    '"path.courseId" = { dictionary = "courses", probability = 0.7 }',
    '"path.userId" = { dictionary = "users", probability = 0.7 }',
    '"body.userId" = { dictionary = "users", probability = 0.7 }',
    '"body.trainerIds[*]" = { dictionary = "trainers", probability = 0.7 }',
    '"body.sessionId" = { dictionary = "sessions", probability = 0.7 }',
    // `id` means a course, a session, a user, a material or a certificate depending on the route.
    '"path.id" = { dictionary = "any", probability = 0.7 }',
  ];
  if (token) lines.splice(1, 0, `headers = { Authorization = ${tomlString(`Bearer ${token}`)} }`);
  return `${lines.join('\n')}\n`;
}

interface Tally {
  cases: number;
  operations: number;
  failures: Record<string, number>;
  errors: number;
  timeouts: string[];
  /** A few failures in words (operation, check, what schemathesis said), for the test's message. */
  samples: string[];
}

/** Reads schemathesis' NDJSON event stream: scenario and case counts, failed checks, errors. */
export function tallyReport(path: string): Tally {
  const tally: Tally = { cases: 0, operations: 0, failures: {}, errors: 0, timeouts: [], samples: [] };
  const labels = new Set<string>();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return tally;
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as Record<string, Record<string, unknown>>;
    const [kind, body] = Object.entries(event)[0] ?? [];
    if (!kind || !body) continue;
    if (kind === 'ScenarioFinished') {
      const recorder = body.recorder as
        | {
            label?: string;
            cases?: Record<string, unknown>;
            checks?: Record<string, Array<{ name: string; status: string; failure_info?: unknown }>>;
          }
        | undefined;
      tally.cases += Object.keys(recorder?.cases ?? {}).length;
      if (recorder?.label) labels.add(recorder.label);
      const seen = new Set<string>();
      for (const checks of Object.values(recorder?.checks ?? {})) {
        for (const check of checks) {
          if (check.status.toLowerCase() !== 'failure') continue;
          const key = `${check.name}:${JSON.stringify(check.failure_info ?? '').slice(0, 300)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          tally.failures[check.name] = (tally.failures[check.name] ?? 0) + 1;
          if (tally.samples.length < 20)
            tally.samples.push(
              `${recorder?.label}: ${check.name}: ${JSON.stringify(check.failure_info ?? '').slice(0, 600)}`,
            );
        }
      }
    } else if (kind === 'NonFatalError' || kind === 'FatalError') {
      const type =
        (body.value as { type?: string } | undefined)?.type ?? (body.exception as { type?: string } | undefined)?.type;
      if (kind === 'NonFatalError' && (type === 'ReadTimeout' || type === 'Timeout')) {
        tally.timeouts.push(`${String(body.label)} (${String(body.phase)})`);
        continue;
      }
      tally.errors += 1;
      if (tally.samples.length < 20) tally.samples.push(`${kind}: ${JSON.stringify(body).slice(0, 600)}`);
    }
  }
  tally.operations = labels.size;
  return tally;
}

/** `^(/a|/b)$` over the paths whose operations are all public (no security requirement). */
async function publicPathsRegex(baseUrl: string): Promise<string> {
  const doc = (await request(baseUrl).get('/api/docs-json').expect(200)).body as {
    paths: Record<string, Record<string, { security?: unknown[] }>>;
  };
  const paths = Object.entries(doc.paths)
    .filter(([, methods]) => Object.values(methods).every((op) => !op.security?.length))
    .map(([path]) => path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `^(${paths.join('|')})$`;
}

async function runRole(
  st: string,
  baseUrl: string,
  role: FuzzRole,
  fixtures: Fixtures,
  options: FuzzOptions,
): Promise<RoleResult> {
  const reportPath = join(options.reportDir, `${role}.ndjson`);
  const configPath = join(options.reportDir, `${role}.schemathesis.toml`);
  writeFileSync(configPath, configFor(role, fixtures, options, reportPath));
  const started = Date.now();
  const args: string[] = [
    '--no-color',
    '--config-file',
    configPath,
    'run',
    `${baseUrl}/api/docs-json`,
    '--url',
    baseUrl,
    '--report',
    'ndjson',
    '--report-ndjson-path',
    reportPath,
  ];
  // Public operations answer the same with or without a token: the anonymous role fuzzes them, the
  // signed-in roles leave them out (which also keeps the argon2 work of registrations to one role).
  if (role === 'anonymous' && (options.anonymousScope ?? 'all') === 'public')
    args.push('--include-path-regex', await publicPathsRegex(baseUrl));
  if (role !== 'anonymous') args.push('--exclude-path-regex', await publicPathsRegex(baseUrl));
  // For a closer look at one operation, e.g. FUZZ_ST_ARGS="--include-path /api/courses --phases examples".
  args.push(...(process.env.FUZZ_ST_ARGS ?? '').split(' ').filter(Boolean));
  let output = '';
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(st, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', COLUMNS: '160' },
    });
    running.add(child);
    child.once('exit', () => running.delete(child));
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-60_000);
      if (options.verbose) process.stdout.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
  const tally = tallyReport(reportPath);
  return { role, ...tally, exitCode, seconds: (Date.now() - started) / 1000, reportPath, output: output.slice(-8_000) };
}

/** Fuzzes the running API as each role; the caller asserts on the summary. */
export async function runFuzz(app: RunningApp, options: FuzzOptions): Promise<FuzzSummary> {
  mkdirSync(options.reportDir, { recursive: true });
  const st = ensureSchemathesis();
  const fixtures = await createFixtures(app);
  const wanted = options.roles ?? (['anonymous', 'participant', 'admin'] as FuzzRole[]);
  const roles: RoleResult[] = [];
  const report = (result: RoleResult) => {
    const failed =
      Object.entries(result.failures)
        .map(([name, n]) => `${name}=${n}`)
        .join(', ') || 'none';
    process.stdout.write(
      `[fuzz] ${result.role}: ${result.cases} cases over ${result.operations} operations in ${result.seconds.toFixed(0)} s; failures: ${failed}; errors: ${result.errors}; timeouts: ${result.timeouts.length ? result.timeouts.join(', ') : 0}; exit ${result.exitCode}\n`,
    );
  };
  if (options.parallel ?? true) {
    // The roles share the fixtures; whatever one role's destructive cases do to them is still a documented answer for the others.
    for (const result of await Promise.all(
      wanted.map((role) => runRole(st, app.url, role, fixtures, options).then((r) => (report(r), r))),
    ))
      roles.push(result);
  } else {
    for (const role of wanted) {
      const result = await runRole(st, app.url, role, fixtures, options);
      report(result);
      roles.push(result);
    }
  }
  const failures: Record<string, number> = {};
  for (const r of roles) for (const [name, n] of Object.entries(r.failures)) failures[name] = (failures[name] ?? 0) + n;
  const summary = {
    roles,
    samples: roles.flatMap((r) => r.samples.map((x) => `[${r.role}] ${x}`)),
    cases: roles.reduce((n, r) => n + r.cases, 0),
    failures,
    errors: roles.reduce((n, r) => n + r.errors, 0),
    timeouts: roles.flatMap((r) => r.timeouts),
  };
  const failed =
    Object.entries(failures)
      .map(([name, n]) => `${name}=${n}`)
      .join(', ') || 'none';
  process.stdout.write(
    `[fuzz] total: ${summary.cases} cases; failures: ${failed}; errors: ${summary.errors}; timeouts: ${summary.timeouts.length}\n`,
  );
  return summary;
}
