/**
 * `infra/balai down` stops only what this checkout started (issue 10): never a
 * Redis that another checkout (or anyone) runs on the port this shell names,
 * nor whatever process took over a stale pidfile's pid. Each case runs the real
 * script with its own state directory (BALAI_STATE_DIR) and private ports; the
 * shared servers of the session are never named.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort, PrivateRedis } from '../../support/redis-server';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');

jest.setTimeout(60_000);

describe('infra/balai down', () => {
  let other: PrivateRedis;
  let state: string;

  beforeAll(async () => {
    other = await PrivateRedis.start();
  });
  afterAll(async () => {
    await other.destroy();
  });
  beforeEach(() => {
    state = mkdtempSync(join(tmpdir(), 'balai-state-'));
  });
  afterEach(() => rmSync(state, { recursive: true, force: true }));

  /** The script as a developer runs it, with nothing of the test's own environment that points at servers. */
  async function balai(command: string, env: Record<string, string>): Promise<string> {
    const base = { ...process.env };
    for (const name of ['REDIS_URL', 'MONGODB_URI', 'REDIS_PREFIX', 'BALAI_OWNER']) delete base[name];
    const { stdout, stderr } = await run('bash', [join(ROOT, 'infra/balai'), command], {
      cwd: ROOT,
      env: { ...base, BALAI_STATE_DIR: state, MONGODB_URI: 'mongodb://127.0.0.1:1/unused', ...env },
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
  const otherPid = () => other.pid!;

  it('leaves alone a Redis it did not start on the port it was told about', async () => {
    const up = await balai('services', { BALAI_REDIS_PORT: String(other.port) });
    expect(up).toContain('not started here');
    const down = await balai('down', { BALAI_REDIS_PORT: String(other.port) });
    expect(down).not.toContain('stopped Redis');
    expect(alive(otherPid())).toBe(true);
  });

  it('leaves alone a process that took over the pid of a stale pidfile', async () => {
    mkdirSync(join(state, 'run'), { recursive: true });
    writeFileSync(join(state, 'run', 'redis.pid'), String(otherPid()));
    const down = await balai('down', {});
    expect(down).toContain('left alone');
    expect(alive(otherPid())).toBe(true);
  });

  it('stops the Redis it started, even when down is told another port', async () => {
    const port = await freePort();
    await balai('services', { BALAI_REDIS_PORT: String(port) });
    const pid = Number(readFileSync(join(state, 'run', 'redis.pid'), 'utf8'));
    expect(alive(pid)).toBe(true);
    expect(await balai('status', {})).toContain(`redis: running (pid ${pid}, port ${port})`);
    // A clone started on other ports, stopped from a shell that names the other checkout's port.
    const down = await balai('down', { BALAI_REDIS_PORT: String(other.port) });
    expect(down).toContain('stopped Redis');
    expect(alive(pid)).toBe(false);
    expect(alive(otherPid())).toBe(true);
  });
});
