/**
 * A private FerretDB (the MongoDB-protocol server of development and CI, built once by
 * infra/scripts/services.sh into the build cache) for tests that kill the database, so the
 * shared server on :27027 is never touched. SQLite backend in a temporary directory; the
 * data survives `kill()` + `start()`, as it would survive a crash of a real server.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../support/redis-server';

const FERRETDB_VERSION = 'v1.24.2';

export function ferretDbBinary(): string {
  const cache = process.env.XDG_CACHE_HOME
    ? join(process.env.XDG_CACHE_HOME, 'balai')
    : join(homedir(), '.cache', 'balai');
  const bin = join(cache, `ferretdb-${FERRETDB_VERSION}`, 'ferretdb');
  if (!existsSync(bin)) throw new Error(`FerretDB is not built at ${bin}: run infra/balai services (or setup) once`);
  return bin;
}

export class PrivateFerretDb {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'balai-ferretdb-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateFerretDb> {
    const db = new PrivateFerretDb(await freePort());
    await db.start();
    return db;
  }

  uri(database: string): string {
    return `mongodb://127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) return;
    this.child = spawn(
      ferretDbBinary(),
      [
        '--handler=sqlite',
        `--sqlite-url=file:${this.dir}/`,
        `--listen-addr=127.0.0.1:${this.port}`,
        `--state-dir=${this.dir}`,
        '--telemetry=disable',
        '--debug-addr=-',
        '--log-level=error',
      ],
      { stdio: 'ignore' },
    );
    await waitForPort(this.port, 20_000);
  }

  /** As a crash would: SIGKILL, no goodbye to clients. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`FerretDB did not start on port ${port}`);
}
