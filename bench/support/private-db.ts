/**
 * A private database for a bench, so its figures are its own workload's and
 * not whatever else the shared development server is doing: FerretDB v1.24.2
 * (the binary `infra/balai` builds into ~/.cache/balai) on a free port, over a
 * private PostgreSQL 15 cluster (Debian's postgresql; the project's default
 * backend) or over SQLite, both in a temporary directory removed at the end.
 * BENCH_DB_BACKEND=postgresql|sqlite picks the backend, BENCH_FERRETDB_BIN the
 * binary; with BENCH_MONGODB_URI the bench uses that server instead (null).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mongoose from 'mongoose';

const FERRETDB_BIN = process.env.BENCH_FERRETDB_BIN ?? join(homedir(), '.cache/balai/ferretdb-v1.24.2/ferretdb');
const PG_BIN = '/usr/lib/postgresql/15/bin';

export type DbBackend = 'sqlite' | 'postgresql';

export function benchDbBackend(): DbBackend {
  const backend = process.env.BENCH_DB_BACKEND ?? 'postgresql';
  if (backend !== 'sqlite' && backend !== 'postgresql')
    throw new Error(`BENCH_DB_BACKEND must be postgresql or sqlite (got '${backend}')`);
  return backend;
}

export interface PrivateDb {
  uri: string;
  stop: () => void;
  label: string;
  /** FerretDB's process. */
  pid: number;
  /** Processes whose CPU time counts as the database's (FerretDB, and PostgreSQL's server processes). */
  pids: () => number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Runs a PostgreSQL program as its cluster's owner (PostgreSQL refuses root; Debian's package creates `postgres`). */
function asPgOwner(cmd: string, args: string[]): { ok: boolean; out: string } {
  const root = process.getuid?.() === 0;
  const r = spawnSync(root ? 'runuser' : cmd, root ? ['-u', 'postgres', '--', cmd, ...args] : args, {
    encoding: 'utf8',
  });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

/**
 * A private PostgreSQL cluster (Debian's postgresql 15, in a temporary
 * directory, loopback only, trust auth on 127.0.0.1 since nothing else can
 * reach it and it is deleted afterwards) for FerretDB's PostgreSQL backend.
 */
const ID_INDEX_SQL = resolve(__dirname, '../../infra/postgresql/ferretdb-id-index.sql');

async function privatePostgres(dir: string): Promise<{ url: string; stop: () => void; pids: () => number[] }> {
  const data = join(dir, 'pg');
  mkdirSync(data, { recursive: true });
  if (process.getuid?.() === 0) spawnSync('chown', ['-R', 'postgres:postgres', dir]);
  const init = asPgOwner(join(PG_BIN, 'initdb'), [
    '-D',
    data,
    '-U',
    'bench',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  if (!init.ok) throw new Error(`initdb failed: ${init.out.slice(-500)}`);
  const port = await freePort();
  const started = asPgOwner(join(PG_BIN, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    join(dir, 'pg.log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200`,
    'start',
  ]);
  if (!started.ok) throw new Error(`PostgreSQL did not start: ${started.out.slice(-500)}`);
  const created = spawnSync(
    join(PG_BIN, 'createdb'),
    ['-h', '127.0.0.1', '-p', String(port), '-U', 'bench', 'ferretdb'],
    {
      encoding: 'utf8',
    },
  );
  if (created.status !== 0) throw new Error(`createdb failed: ${created.stderr}`);
  // As infra/balai does: GIN indexes that let FerretDB's reads by _id use an index (BENCH_PG_ID_INDEX=0: without).
  if (process.env.BENCH_PG_ID_INDEX !== '0') {
    const indexed = spawnSync(
      join(PG_BIN, 'psql'),
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'bench',
        '-d',
        'ferretdb',
        '-v',
        'ON_ERROR_STOP=1',
        '-q',
        '-f',
        ID_INDEX_SQL,
      ],
      { encoding: 'utf8' },
    );
    if (indexed.status !== 0) throw new Error(`${ID_INDEX_SQL} failed: ${indexed.stderr}`);
  }
  const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    url: `postgres://bench@127.0.0.1:${port}/ferretdb`,
    stop: () => void asPgOwner(join(PG_BIN, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']),
    pids: () => [postmaster, ...childrenOf(postmaster)],
  };
}

/** A private FerretDB on a free port with database `balai_bench_<name>`, or null to use BENCH_MONGODB_URI. */
export async function privateFerret(name: string, backend: DbBackend = benchDbBackend()): Promise<PrivateDb | null> {
  if (process.env.BENCH_MONGODB_URI) return null;
  if (!existsSync(FERRETDB_BIN))
    throw new Error(`no FerretDB binary at ${FERRETDB_BIN} (run infra/balai services once) and no BENCH_MONGODB_URI`);
  const dir = mkdtempSync(join(tmpdir(), `balai-bench-${name}-`));
  const pg = backend === 'postgresql' ? await privatePostgres(dir) : null;
  const port = await freePort();
  const proc = spawn(
    FERRETDB_BIN,
    [
      ...(pg
        ? ['--handler=postgresql', `--postgresql-url=${pg.url}`]
        : ['--handler=sqlite', `--sqlite-url=file:${dir}/`]),
      `--listen-addr=127.0.0.1:${port}`,
      `--state-dir=${dir}`,
      '--telemetry=disable',
      '--debug-addr=-',
      '--log-level=error',
    ],
    { stdio: 'ignore' },
  );
  const uri = `mongodb://127.0.0.1:${port}/balai_bench_${name}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const probe = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 500 }).asPromise();
      await probe.close();
      break;
    } catch {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error('private FerretDB did not start');
      await sleep(300);
    }
  }
  return {
    uri,
    label: pg
      ? `private FerretDB v1.24.2 (PostgreSQL 15 backend, private cluster) on 127.0.0.1:${port}`
      : `private FerretDB v1.24.2 (SQLite) on 127.0.0.1:${port}`,
    pid: proc.pid!,
    pids: () => [proc.pid!, ...(pg?.pids() ?? [])],
    stop: () => {
      proc.kill('SIGTERM');
      pg?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Direct children of a process (PostgreSQL's backends of its postmaster). */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return out;
}
