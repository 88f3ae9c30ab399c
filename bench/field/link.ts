/**
 * The weak link of bench:field: a network namespace (the phone) joined to the
 * host by a veth pair (link.sh), tbf rate limits both ways (an ifb for the
 * download side), and netem-queue.c for delay and random loss through NFQUEUE,
 * since this kernel has no sch_netem. Traffic only ever flows between the host
 * end of the veth pair and the namespace.
 *
 * It must never leave anything behind: `down()` kills the delay programs and
 * deletes the namespace, and `removeStale()` cleans namespaces of earlier runs
 * whose process is gone.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Profile {
  name: string;
  /** tbf rate each way, kbit/s; 0 = unshaped. */
  rateKbit: number;
  rttMs: number;
  /** Random loss in each direction, 0..1. */
  loss: number;
}

export const PROFILES: Profile[] = [
  { name: 'unshaped', rateKbit: 0, rttMs: 0, loss: 0 },
  { name: '500 kbit/s down, 150 ms RTT, 3% loss', rateKbit: 500, rttMs: 150, loss: 0.03 },
  { name: '256 kbit/s, 300 ms, 5%', rateKbit: 256, rttMs: 300, loss: 0.05 },
];

const HERE = __dirname;
const PREFIX = 'bf';

function run(file: string, args: string[]): string {
  return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Builds netem-queue.c once per source version into the cache directory. */
export function buildNetemQueue(cacheDir: string): string {
  const source = join(HERE, 'netem-queue.c');
  mkdirSync(cacheDir, { recursive: true });
  const binary = join(cacheDir, `netem-queue-${Math.round(statSync(source).mtimeMs)}`);
  if (!existsSync(binary)) {
    try {
      run('cc', ['-O2', '-Wall', '-o', binary, source, '-lnetfilter_queue']);
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      throw new Error(
        `building netem-queue failed (apt-get install build-essential libnetfilter-queue-dev):\n${stderr}`,
        { cause: error },
      );
    }
  }
  return binary;
}

export class WeakLink {
  readonly ns: string;
  readonly hostIp: string;
  readonly phoneIp: string;
  private queues: ChildProcess[] = [];
  private isUp = false;

  constructor(private readonly netemQueue: string) {
    this.ns = `${PREFIX}${process.pid}`;
    const subnet = process.pid % 64; // 10.213.<n>.0/30 blocks: .1 host, .2 phone
    this.hostIp = `10.213.${subnet}.1`;
    this.phoneIp = `10.213.${subnet}.2`;
  }

  /** Namespaces of earlier runs that died before cleaning up (their pid is gone). */
  static removeStale(): string[] {
    const removed: string[] = [];
    let names: string[];
    try {
      names = run('ip', ['netns', 'list'])
        .split('\n')
        .map((line) => line.split(' ')[0]);
    } catch {
      return removed;
    }
    for (const name of names) {
      const match = /^bf(\d+)$/.exec(name);
      if (!match) continue;
      const pid = Number(match[1]);
      let alive = true;
      try {
        process.kill(pid, 0);
      } catch {
        alive = false;
      }
      if (alive && pid !== process.pid) continue;
      run(join(HERE, 'link.sh'), ['down', name]);
      removed.push(name);
    }
    return removed;
  }

  up(): void {
    run(join(HERE, 'link.sh'), ['up', this.ns, this.hostIp, this.phoneIp]);
    this.isUp = true;
  }

  /** Applies a profile (removing the previous one first). */
  async shape(profile: Profile): Promise<void> {
    await this.unshape();
    if (profile.rateKbit === 0 && profile.rttMs === 0 && profile.loss === 0) return;
    const oneWay = profile.rttMs / 2;
    for (const queue of [0, 1]) {
      const child = spawn(
        'ip',
        [
          'netns',
          'exec',
          this.ns,
          this.netemQueue,
          '--queue',
          String(queue),
          '--delay-ms',
          String(oneWay),
          '--loss',
          String(profile.loss),
          '--seed',
          String(1000 + queue),
          '--max-seconds',
          '1200',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let log = '';
      child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
      child.on('exit', (code) => {
        if (code && code !== 0) process.stderr.write(`netem-queue ${queue} exited with ${code}: ${log}\n`);
      });
      this.queues.push(child);
    }
    // Bind the queues before packets are sent to them (an unbound NFQUEUE drops everything).
    await new Promise((resolve) => setTimeout(resolve, 300));
    run(join(HERE, 'link.sh'), ['shape', this.ns, String(profile.rateKbit || 1_000_000)]);
  }

  async unshape(): Promise<void> {
    if (this.isUp) run(join(HERE, 'link.sh'), ['unshape', this.ns]);
    const exits = this.queues.map((child) =>
      child.exitCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve())),
    );
    for (const child of this.queues) child.kill('SIGTERM');
    await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 2000))]);
    for (const child of this.queues) if (child.exitCode === null) child.kill('SIGKILL');
    this.queues = [];
  }

  /** Bytes and packets the phone has received on its interface (what arrived on the wire). */
  received(): { bytes: number; packets: number } {
    const dir = `/sys/class/net/${this.ns}p/statistics`;
    const read = (name: string) => Number(run('ip', ['netns', 'exec', this.ns, 'cat', `${dir}/${name}`]).trim());
    return { bytes: read('rx_bytes'), packets: read('rx_packets') };
  }

  /** A launcher that runs Chromium inside the namespace (playwright talks to it over a pipe). */
  chromiumWrapper(dir: string, chromium: string): string {
    const path = join(dir, 'chromium-in-netns.sh');
    writeFileSync(path, `#!/bin/sh\nexec ip netns exec ${this.ns} ${chromium} "$@"\n`, { mode: 0o755 });
    return path;
  }

  async down(): Promise<void> {
    await this.unshape().catch(() => undefined);
    if (this.isUp || existsSync(`/run/netns/${this.ns}`)) run(join(HERE, 'link.sh'), ['down', this.ns]);
    this.isUp = false;
  }
}

/** True when this process may create namespaces (root, or CAP_NET_ADMIN + CAP_SYS_ADMIN). */
export function canManageNamespaces(): boolean {
  if (process.getuid?.() === 0) return true;
  const status = readFileSync('/proc/self/status', 'utf8');
  const eff = /CapEff:\s*([0-9a-f]+)/.exec(status)?.[1];
  if (!eff) return false;
  const caps = BigInt(`0x${eff}`);
  return (caps & (1n << 12n)) !== 0n && (caps & (1n << 21n)) !== 0n;
}
