/**
 * One of Balai's services as its own OS process (`node -r @swc-node/register
 * apps/<name>/src/main.ts`), so tests can SIGKILL or SIGTERM it as a crash,
 * the OOM killer or a deploy would, and start it again. The worker and the
 * live service wrap it (worker-process.ts, integration/live/support).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sleep } from './wait';

const ROOT = resolve(__dirname, '../..');
const STARTED = 'Nest application successfully started';
const MAX_LOG = 2_000_000;

export class ServiceProcess {
  private child?: ChildProcess;
  private output = '';
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;

  constructor(
    /** `api`, `live` or `worker`: the folder under apps/. */
    private readonly service: string,
    private readonly env: Record<string, string>,
  ) {}

  get pid(): number {
    return this.child!.pid!;
  }

  /** Everything the process wrote to stdout and stderr (the last megabyte or two). */
  get log(): string {
    return this.output;
  }

  get running(): boolean {
    return !!this.child && this.exitCode === null && this.exitSignal === null;
  }

  /** Resolves once Nest reports the application started. */
  async start(timeoutMs = 60_000): Promise<void> {
    this.output = '';
    this.exitCode = null;
    this.exitSignal = null;
    const child = spawn(process.execPath, ['-r', '@swc-node/register', `apps/${this.service}/src/main.ts`], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'info', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const onData = (chunk: Buffer) => {
      this.output += chunk.toString();
      if (this.output.length > MAX_LOG) this.output = this.output.slice(-MAX_LOG / 2);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code, signal) => {
      this.exitCode = code;
      this.exitSignal = signal;
    });
    const started = Date.now();
    while (!this.output.includes(STARTED)) {
      if (!this.running) throw new Error(`${this.service} exited during start-up:\n${this.output.slice(-4000)}`);
      if (Date.now() - started > timeoutMs)
        throw new Error(`${this.service} did not start in ${timeoutMs} ms:\n${this.output.slice(-4000)}`);
      await sleep(50);
    }
  }

  /** Sends `signal` (SIGKILL after `timeoutMs`) and waits for the exit; returns how long the process took to go. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<number> {
    const child = this.child;
    if (!child || !this.running) return 0;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const sentAt = Date.now();
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
    return Date.now() - sentAt;
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
