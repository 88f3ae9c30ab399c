/**
 * The worker as its own OS process (`node -r @swc-node/register apps/worker/src/main.ts`),
 * so tests can SIGKILL or SIGTERM it like an orchestrator would.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sleep } from './wait';

const ROOT = resolve(__dirname, '../..');

export class WorkerProcess {
  private child?: ChildProcess;
  private output = '';
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;

  constructor(private readonly env: Record<string, string>) {}

  get pid(): number {
    return this.child!.pid!;
  }

  get log(): string {
    return this.output;
  }

  /** Resolves once Nest reports the application started (workers are running). */
  async start(timeoutMs = 60_000): Promise<void> {
    this.output = '';
    this.exitCode = null;
    this.exitSignal = null;
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/worker/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'info', WORKER_HEALTH_PORT: '0', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const onData = (chunk: Buffer) => {
      this.output += chunk.toString();
      if (this.output.length > 2_000_000) this.output = this.output.slice(-1_000_000);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code, signal) => {
      this.exitCode = code;
      this.exitSignal = signal;
    });
    const started = Date.now();
    while (!this.output.includes('Nest application successfully started')) {
      if (this.exitCode !== null || this.exitSignal)
        throw new Error(`worker exited during start-up:\n${this.output.slice(-4000)}`);
      if (Date.now() - started > timeoutMs)
        throw new Error(`worker did not start in ${timeoutMs} ms:\n${this.output.slice(-4000)}`);
      await sleep(100);
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<void> {
    const child = this.child;
    if (!child || this.exitCode !== null || this.exitSignal) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  /** Peak resident set size (VmHWM) in MiB, from /proc while the process lives. */
  peakRssMiB(): number | null {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const match = /VmHWM:\s+(\d+) kB/.exec(status);
      return match ? Number(match[1]) / 1024 : null;
    } catch {
      return null;
    }
  }
}
