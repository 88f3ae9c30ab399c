/**
 * Webinar capacity bench (npm run bench:webinar, issue 14): one host (VP8
 * simulcast, 3 layers, + Opus) to N viewers through the project's room code,
 * on every worker of the machine through the router cascade, next to the
 * single-worker knee measured in the same run.
 *
 * Two phases, each its own process (each reads its own environment at boot):
 *  - single:  MEDIASOUP_NUM_WORKERS=1, the worker pinned to CPU 0, the
 *             receiver on CPU 1 (as bench:sfu), this process not pinned;
 *  - cascade: MEDIASOUP_NUM_WORKERS=--workers, worker i pinned to CPU i (mod
 *             the cores; taskset on the worker pid), viewers placed by the
 *             cascade (RouterCascade.placeReceiver: the origin first, then
 *             fan-out routers fed by pipeToRouter, LIVE_ROUTER_CONSUMER_BUDGET
 *             per router, --budget to override); the receiver and the driver
 *             are not pinned (on a 2-core machine they share the workers' cores).
 * Each viewer gets a video (top layer, a 1280x720 tile for the layer policy)
 * and an audio consumer on an SRTP PlainTransport; the small C receiver of
 * bench/sfu counts RTP sequence gaps per consumer. A step is ok with < 1% loss,
 * >= 99% of sent x N delivered and no starved viewer. Prints the largest ok N
 * of both phases and their ratio.
 *
 * A third phase (two-nodes.ts) runs two live processes, one worker each,
 * viewers split between them, the second piping the host from the first
 * over NodePipes (--no-two-nodes skips it).
 *
 * Options: --workers N (default: the cores) --steps 300,400,... (cascade)
 *          --single-steps 200,250,... --node-steps 300,400,... (two nodes)
 *          --warmup-ms 2500 --window-ms 5000 --budget C --no-realtime
 *          --phase single|cascade|two-nodes (one phase only)
 */
import 'reflect-metadata';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { types } from 'mediasoup';
import {
  AUDIO,
  buildReceiver,
  CLK_TCK,
  cpuTicks,
  hostAudioParameters,
  hostVideoParameters,
  LAYERS,
  runDelayNs,
  runReceiver,
  SyntheticHost,
  udpRcvbufErrors,
  viewerCapabilities,
} from '../sfu/harness';
import { runTwoNodes } from './two-nodes';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const index = argv.indexOf(`--${name}`);
  return index !== -1 && argv[index + 1] ? argv[index + 1] : fallback;
};
const CORES = availableParallelism();
const WORKERS = Number(option('workers', String(CORES)));
const PHASE = option('phase', 'both');
const WARMUP_MS = Number(option('warmup-ms', '2500'));
const WINDOW_MS = Number(option('window-ms', '5000'));
const BUDGET = option('budget', '');
const RECEIVER_BASE_PORT = Number(option('receiver-port', '51000'));
let REALTIME = !flag('no-realtime');

interface PhaseResult {
  phase: 'single' | 'cascade';
  workers: number;
  capacity: number;
  rows: Array<Record<string, string | number>>;
}

// ---------- parent: both phases, one after the other ----------
async function parent(): Promise<void> {
  const load = loadavg().map((l) => l.toFixed(2));
  process.stdout.write(
    `Webinar bench: ${CORES} cores, load average ${load.join(' ')} at start; single worker, then ${WORKERS} workers through the cascade.\n`,
  );
  const results: PhaseResult[] = [];
  for (const phase of ['single', 'cascade'] as const) results.push(await runPhase(phase));
  const [single, cascade] = results;
  const ratio = single.capacity ? cascade.capacity / single.capacity : 0;
  const nodes = flag('no-two-nodes') ? undefined : await twoNodes();
  const nodesRatio = nodes && single.capacity ? nodes.capacity / single.capacity : 0;
  process.stdout.write(
    `\nLargest N at < 1% loss (>= 99% delivered, no starved viewer), same run, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the end:\n` +
      `  single worker (1 core):            ${single.capacity} viewers\n` +
      `  cascade, ${cascade.workers} workers (1 core each):  ${cascade.capacity} viewers = ${ratio.toFixed(2)}x\n` +
      (nodes ? `  two live processes, 1 worker each: ${nodes.capacity} viewers = ${nodesRatio.toFixed(2)}x\n` : '') +
      `  aim: ${CORES <= 2 ? '>= 1.5x on a 2-core machine (the receiver shares the cores)' : `>= 0.9 x ${cascade.workers} = ${(0.9 * cascade.workers).toFixed(1)}x`}\n`,
  );
}

function runPhase(phase: 'single' | 'cascade'): Promise<PhaseResult> {
  const args = [
    ...process.execArgv,
    __filename,
    ...argv.filter((a, i) => a !== '--phase' && argv[i - 1] !== '--phase'),
  ];
  const child = spawn(process.execPath, [...args, '--phase', phase], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let echoed = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    // Echo whole lines as they come, except the machine-readable result.
    const upTo = out.lastIndexOf('\n') + 1;
    for (const line of out.slice(echoed, upTo).split('\n').slice(0, -1))
      if (!line.startsWith('RESULT ')) process.stdout.write(`${line}\n`);
    echoed = upTo;
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`phase ${phase} failed (${code})`));
      else resolve(JSON.parse(line.slice('RESULT '.length)) as PhaseResult);
    }),
  );
}

function twoNodes() {
  return runTwoNodes({
    steps: option('node-steps', '300,400,450,500,550,600').split(',').map(Number),
    warmupMs: WARMUP_MS,
    windowMs: WINDOW_MS,
    receiverBasePort: RECEIVER_BASE_PORT,
    realtime: REALTIME,
  });
}

// ---------- one phase ----------
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function phaseMain(phase: 'single' | 'cascade'): Promise<void> {
  const workers = phase === 'single' ? 1 : WORKERS;
  const steps = (
    phase === 'single'
      ? option('single-steps', '200,250,300,350,400')
      : option('steps', WORKERS >= 2 ? '300,400,450,500,550,600,700' : '200,250,300,350,400')
  )
    .split(',')
    .map(Number);
  // The phase configures the app's environment before the app module is loaded.
  Object.assign(process.env, {
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    MEDIASOUP_NUM_WORKERS: String(workers),
    MEDIASOUP_LOG_LEVEL: 'none',
    MEDIASOUP_MIN_PORT: option('min-port', '42000'),
    MEDIASOUP_MAX_PORT: option('max-port', '44999'),
    REDIS_PREFIX: `bench_webinar_${process.pid}`,
    MONGODB_URI: process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027/balai_bench',
    // One worker: one router, whatever the budget.
    ...(phase === 'single' ? { LIVE_ROUTER_CONSUMER_BUDGET: '100000' } : {}),
    ...(phase === 'cascade' && BUDGET ? { LIVE_ROUTER_CONSUMER_BUDGET: BUDGET } : {}),
  });
  // single: the receiver on CPU 1 (as bench:sfu); cascade: every core is a worker's. The driver (which
  // also sends the host's RTP) is never pinned: pinned beside a SCHED_FIFO receiver on a loaded machine it
  // starved, and the host's own ingress loss (30% at load 17) failed the single-worker steps.
  const receiverCpus = phase === 'single' ? (CORES > 1 ? '1' : '0') : undefined;
  const receiver = buildReceiver();

  const { BalaiConfigModule } = await import('@balai/config');
  const { RedisModule } = await import('@balai/common');
  const { DatabaseModule } = await import('@balai/database');
  const { liveAppEnvSchema } = await import('../../apps/live/src/config/live-config');
  const { MediaSignallingModule } = await import('../../apps/live/src/media/media-signalling.module');
  const { MediaService } = await import('../../apps/live/src/media/media.service');
  const { WorkerPoolService } = await import('../../apps/live/src/media/worker-pool.service');
  const { RoomRegistry } = await import('../../apps/live/src/rooms/room-registry.service');
  const { RoomNotifier } = await import('../../apps/live/src/signalling/room-notifier.service');
  const { Peer } = await import('../../apps/live/src/rooms/peer');
  const { TurnModule } = await import('../../apps/live/src/turn/turn.module');

  @Module({
    imports: [
      BalaiConfigModule.forApp(liveAppEnvSchema),
      DatabaseModule.forRoot(),
      RedisModule.forService('live'),
      TurnModule,
      MediaSignallingModule,
    ],
  })
  class WebinarBenchModule {}

  const app = await NestFactory.createApplicationContext(WebinarBenchModule, { logger: false, abortOnError: false });
  const pool = app.get(WorkerPoolService);
  const registry = app.get(RoomRegistry);
  const media = app.get(MediaService);
  const silent = {
    emit: () => true,
    to: () => silent,
    join: () => undefined,
    leave: () => undefined,
    id: 'bench',
    data: {},
    connected: true,
  };
  app.get(RoomNotifier).attach(silent as never);

  const workerPids = pool.pids();
  const pinning: string[] = [];
  workerPids.forEach((pid, i) => {
    const cpu = String(i % CORES);
    execFileSync('taskset', ['-apc', cpu, String(pid)], { stdio: 'ignore' });
    pinning.push(`${pid}->CPU${cpu}`);
    if (REALTIME) {
      try {
        execFileSync('chrt', ['-f', '-p', '50', String(pid)], { stdio: 'ignore' });
      } catch {
        REALTIME = false;
        process.stdout.write('note: could not set SCHED_FIFO (needs CAP_SYS_NICE); watch the wait column\n');
      }
    }
  });

  const room = await registry.getOrCreate({
    sessionId: randomBytes(12).toString('hex'),
    courseId: randomBytes(12).toString('hex'),
    startsAt: new Date(),
    endsAt: new Date(Date.now() + 3600_000),
  });
  const host = new Peer(silent as never, 'bench-host', 'Bench host', 'host');
  room.peers.set(host.peerId, host);
  const hostTransport = await room.router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
    rtcpMux: true,
    comedia: true,
  });
  const video = await media.attachProducer(room, host, hostTransport, {
    kind: 'video',
    source: 'camera',
    rtpParameters: hostVideoParameters(),
  });
  const audio = await media.attachProducer(room, host, hostTransport, {
    kind: 'audio',
    source: 'mic',
    rtpParameters: hostAudioParameters(),
  });
  const sender = new SyntheticHost(hostTransport.tuple.localPort);
  await sender.start();
  await sleep(1000);
  const viewerCaps = viewerCapabilities(room.router);

  /** Viewers placed by the cascade, as MediaService.createTransport places a browser's receive transport. */
  async function addViewers(n: number): Promise<types.PlainTransport[]> {
    const transports: types.PlainTransport[] = [];
    for (let i = 0; i < n; i += 1) {
      const peer = new Peer(silent as never, `viewer-${i}`, `Viewer ${i}`, 'participant');
      // A viewer on a clean link climbs to the top layer within seconds; the bench measures it there.
      peer.link.assume('good');
      room.peers.set(peer.peerId, peer);
      const placed = await room.cascade.placeReceiver(peer.peerId, room.expectedConsumers(peer));
      const transport = await placed.router.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
        rtcpMux: true,
        comedia: false,
        enableSrtp: true,
        srtpCryptoSuite: 'AES_CM_128_HMAC_SHA1_80',
        appData: { routerId: placed.router.id },
      });
      transport.observer.once('close', placed.release);
      await transport.connect({
        ip: '127.0.0.1',
        port: RECEIVER_BASE_PORT + i,
        srtpParameters: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: randomBytes(30).toString('base64') },
      });
      transports.push(transport);
      const v = await media.attachConsumer(room, peer, transport, video.id, viewerCaps);
      const a = await media.attachConsumer(room, peer, transport, audio.id, viewerCaps);
      await media.reportViewport(peer, { consumerId: v.consumerId, width: 1280, height: 720 });
      await media.resumeConsumer(peer, v.consumerId);
      await media.resumeConsumer(peer, a.consumerId);
    }
    return transports;
  }

  function removeViewers(transports: types.PlainTransport[]): void {
    for (const transport of transports) transport.close();
    for (const peer of [...room.peers.values()]) if (peer !== host) room.peers.delete(peer.peerId);
  }

  async function topLayerIngress(): Promise<{ received: number; expected: number }> {
    const stats = await video.getStats();
    const top = stats.find((s) => s.ssrc === LAYERS[2].ssrc);
    const received = top?.packetCount ?? 0;
    return { received, expected: received + (top?.packetsLost ?? 0) };
  }

  process.stdout.write(
    `\n[${phase}] ${workers} worker(s) ${pinning.join(', ')}; ${receiverCpus ? `receiver on CPU ${receiverCpus}, driver not pinned` : 'driver and receiver not pinned'}; ` +
      `SRTP viewers; ${REALTIME ? 'workers and receiver SCHED_FIFO 50; ' : ''}budget ${process.env.LIVE_ROUTER_CONSUMER_BUDGET ?? 'default'} consumers/router; ` +
      `warm-up ${WARMUP_MS} ms, window ${WINDOW_MS} ms; load ${loadavg()[0].toFixed(2)}.\n`,
  );
  const rows: Array<Record<string, string | number>> = [];
  let capacity = 0;
  let failsInARow = 0;
  for (const n of steps) {
    const transports = await addViewers(n);
    const view = room.cascade.view();
    const { ready, done } = runReceiver({
      binary: receiver,
      count: n,
      basePort: RECEIVER_BASE_PORT,
      warmupMs: WARMUP_MS,
      windowMs: WINDOW_MS,
      cpus: receiverCpus,
      realtime: REALTIME,
    });
    await ready;
    await sleep(WARMUP_MS);
    const cpu0 = workerPids.map(cpuTicks);
    const wait0 = workerPids.map(runDelayNs);
    const drops0 = udpRcvbufErrors();
    const ingress0 = await topLayerIngress();
    const sent0 = (sender.sent.get(LAYERS[2].ssrc) ?? 0) + (sender.sent.get(AUDIO.ssrc) ?? 0);
    const t0 = Date.now();
    const result = await done;
    const elapsed = (Date.now() - t0) / 1000;
    const cpu = workerPids.map((pid, i) => ((cpuTicks(pid) - cpu0[i]) / CLK_TCK / elapsed) * 100);
    const wait = workerPids.map((pid, i) => ((runDelayNs(pid) - wait0[i]) / 1e9 / elapsed) * 100);
    const ingress1 = await topLayerIngress();
    const ingressLoss =
      ingress1.expected - ingress0.expected > 0
        ? 1 - (ingress1.received - ingress0.received) / (ingress1.expected - ingress0.expected)
        : 0;
    const sent = (sender.sent.get(LAYERS[2].ssrc) ?? 0) + (sender.sent.get(AUDIO.ssrc) ?? 0) - sent0;
    const loss = result.expected ? 1 - result.received / result.expected : 1;
    const delivered = sent ? result.received / result.windowMs / ((sent * n) / (elapsed * 1000)) : 0;
    const ok = loss < 0.01 && delivered >= 0.99 && result.starvedViewers === 0;
    if (ok) capacity = Math.max(capacity, n);
    const row = {
      phase,
      viewers: n,
      routers: 1 + view.fanouts.length,
      viewersPerRouter: [view.origin.receivers, ...view.fanouts.map((f) => f.receivers)].join('/'),
      workerCpuPct: cpu.map((c) => c.toFixed(0)).join('/'),
      workerWaitPct: wait.map((w) => w.toFixed(0)).join('/'),
      hostIngressLossPct: Number((ingressLoss * 100).toFixed(2)),
      udpRcvbufDrops: udpRcvbufErrors() - drops0,
      forwardedPps: Math.round(result.received / (result.windowMs / 1000)),
      // What the synthetic host really sent per viewer (nominally 140: a loaded machine slows its timers).
      hostPps: Math.round(sent / elapsed),
      lossPct: Number((loss * 100).toFixed(3)),
      deliveredPct: Number((delivered * 100).toFixed(2)),
      starved: result.starvedViewers,
      load1: Number(loadavg()[0].toFixed(2)),
      verdict: ok ? 'ok' : 'FAIL',
    };
    rows.push(row);
    process.stdout.write(`${JSON.stringify(row)}\n`);
    removeViewers(transports);
    await sleep(500);
    failsInARow = ok ? 0 : failsInARow + 1;
    if (failsInARow >= 2) break;
  }
  console.table(rows);
  process.stdout.write(
    `[${phase}] largest N at < 1% loss: ${capacity} viewers (${2 * capacity} consumers) on ${workers} worker(s).\n`,
  );
  const result: PhaseResult = { phase, workers, capacity, rows };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  sender.stop();
  await registry.close(room);
  await app.close();
}

(PHASE === 'single' || PHASE === 'cascade'
  ? phaseMain(PHASE)
  : PHASE === 'two-nodes'
    ? twoNodes().then(() => undefined)
    : parent()
).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
