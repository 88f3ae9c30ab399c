/**
 * The worker from the production build (`npm run build:server`, then `node dist/apps/worker/src/main.js`,
 * what `npm run start:worker` runs, with its node flags), for `BENCH_WORKER=dist`: its memory is what a server sees, without
 * the TypeScript compiler and source maps the development process (test/support/worker-process.ts) carries.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sleep } from '../../test/support/wait';

const ROOT = resolve(__dirname, '../..');
const ENTRY = 'dist/apps/worker/src/main.js';

/** The node flags of `npm run start:worker` (its V8 heap cap), so the bench runs the worker as a server does. */
function startWorkerFlags(): string[] {
  const scripts = (
    JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  const words = (scripts['start:worker'] ?? '').split(/\s+/);
  return words.slice(words.indexOf('node') + 1, words.indexOf(ENTRY)).filter((w) => w.startsWith('--'));
}

export class BuiltWorkerProcess {
  private child?: ChildProcess;
  private output = '';

  constructor(private readonly env: Record<string, string>) {}

  get pid(): number {
    return this.child!.pid!;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    if (!existsSync(resolve(ROOT, ENTRY))) throw new Error(`${ENTRY} is missing: run npm run build:server first`);
    // BENCH_WORKER_NODE_FLAGS: extra node flags for the worker, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    const extra = (process.env.BENCH_WORKER_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
    const child = spawn(process.execPath, [...startWorkerFlags(), ...extra, ENTRY], {
      cwd: ROOT,
      env: { ...process.env, WORKER_HEALTH_PORT: '0', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const onData = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-200_000);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const started = Date.now();
    while (!this.output.includes('Nest application successfully started')) {
      if (child.exitCode !== null) throw new Error(`worker exited during start-up:\n${this.output.slice(-4000)}`);
      if (Date.now() - started > timeoutMs) throw new Error(`worker did not start in ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  peakRssMiB(): number | null {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return match ? Number(match[1]) / 1024 : null;
    } catch {
      return null;
    }
  }
}
