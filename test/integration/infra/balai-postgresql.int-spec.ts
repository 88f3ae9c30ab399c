/**
 * `infra/balai services` with FerretDB's PostgreSQL backend (issue 15): one command makes a private
 * PostgreSQL cluster (Debian's postgresql, initdb + pg_ctl, loopback only) and FerretDB over it; data
 * outlives a down/up; `down` stops both, and only them. Runs the real script with its own state
 * directory and free ports; the session's shared servers are never named.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { mongo } from 'mongoose';
import { freePort } from '../../support/redis-server';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');

jest.setTimeout(120_000);

describe('infra/balai services with BALAI_DB_BACKEND=postgresql', () => {
  let state: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    state = mkdtempSync(join(tmpdir(), 'balai-state-'));
    // mkdtemp makes it private to us: as root the cluster's owner (postgres) then cannot reach it, and
    // the script must place the cluster where it can (the case of a clone inside a private home).
    chmodSync(state, 0o700);
    env = {
      BALAI_STATE_DIR: state,
      BALAI_DB_BACKEND: 'postgresql',
      BALAI_PG_PORT: String(await freePort()),
      BALAI_MONGO_PORT: String(await freePort()),
      // Redis is not what this test is about: point it at an address nothing needs to answer on.
      REDIS_URL: 'redis://127.0.0.1:1',
    };
  });
  afterAll(async () => {
    await balai('reset').catch(() => undefined);
    rmSync(state, { recursive: true, force: true });
  });

  async function balai(command: string): Promise<string> {
    const base = { ...process.env };
    for (const name of ['MONGODB_URI', 'REDIS_PREFIX', 'BALAI_OWNER', 'BALAI_POSTGRESQL_URL']) delete base[name];
    const { stdout, stderr } = await run('bash', [join(ROOT, 'infra/balai'), command], {
      cwd: ROOT,
      env: { ...base, ...env },
    });
    return stdout + stderr;
  }

  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  async function roundTrip(write?: string): Promise<string[]> {
    const client = await mongo.MongoClient.connect(`mongodb://127.0.0.1:${env.BALAI_MONGO_PORT}/probe`, {
      serverSelectionTimeoutMS: 10_000,
    });
    try {
      const col = client.db().collection<{ _id: string }>('things');
      if (write) await col.insertOne({ _id: write });
      return (await col.find({}).toArray()).map((d) => d._id);
    } finally {
      await client.close();
    }
  }

  it('starts PostgreSQL and FerretDB over it, keeps data across down/up, and down stops both', async () => {
    const up = await balai('services');
    expect(up).toMatch(/PostgreSQL [\d.]+: started on 127\.0\.0\.1:\d+/);
    expect(up).toContain(`FerretDB v1.24.2 on 127.0.0.1:${env.BALAI_MONGO_PORT} (PostgreSQL on :${env.BALAI_PG_PORT})`);
    const pgPid = Number(readFileSync(join(state, 'run', 'postgres.pid'), 'utf8'));
    const mongoPid = Number(readFileSync(join(state, 'run', 'mongo.pid'), 'utf8'));
    const status = await balai('status');
    expect(status).toContain(`postgres: running (pid ${pgPid}, port ${env.BALAI_PG_PORT})`);
    expect(status).toContain(`mongo: running (pid ${mongoPid}, port ${env.BALAI_MONGO_PORT})`);
    expect(await roundTrip('kept')).toEqual(['kept']);

    const down = await balai('down');
    expect(down).toContain('stopped MongoDB-protocol server');
    expect(down).toContain('stopped PostgreSQL');
    expect(alive(pgPid)).toBe(false);
    expect(alive(mongoPid)).toBe(false);

    const again = await balai('services');
    expect(again).not.toContain('creating a cluster');
    expect(await roundTrip()).toEqual(['kept']);
    await balai('down');
  });
});
