/**
 * SFU capacity bench (npm run bench:sfu). One synthetic host publishes VP8
 * simulcast (3 layers) + Opus into a room created by the project's own room
 * code (RoomRegistry on WorkerPoolService, MediaService.attachProducer /
 * attachConsumer with the layer policy, Peer/Room state). N simulated viewers
 * each get a video and an audio consumer on a mediasoup PlainTransport (SRTP
 * AES_CM_128_HMAC_SHA1_80 by default, like WebRTC viewers), whose RTP goes to
 * a small C receiver counting sequence numbers per SSRC.
 *
 * The worker is pinned to CPU 0; this process, its threads and the receiver
 * to CPU 1 (see /work/shared/recipes/sfu-capacity-facts.md).
 *
 * Options: --steps 50,100,150 --warmup-ms 2500 --window-ms 5000 --no-srtp
 *          --compare (also run each step through bare mediasoup calls, same worker)
 *          --no-realtime (do not give the worker and receiver SCHED_FIFO; default on) | --renice
 *
 * Columns: workerCpuPct (worker CPU time / wall time), workerWaitPct (time the
 * worker was runnable but waiting for a CPU: high = the machine, not the SFU,
 * limits the step), hostIngressLossPct (host -> worker loss on the top layer,
 * which every viewer inherits), udpRcvbufDrops (kernel-wide), forwardedPps,
 * lossPct (sequence gaps per consumer at the receiver), deliveredPct (received
 * rate / (sent rate x N)).
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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
} from './harness';

// ---------- options ----------
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const index = argv.indexOf(`--${name}`);
  return index !== -1 && argv[index + 1] ? argv[index + 1] : fallback;
};
const STEPS = option('steps', '50,100,120,140,160,180,200,250,300,400').split(',').map(Number);
const WARMUP_MS = Number(option('warmup-ms', '2500'));
const WINDOW_MS = Number(option('window-ms', '5000'));
const SRTP = !flag('no-srtp');
const COMPARE = flag('compare');
const RECEIVER_BASE_PORT = Number(option('receiver-port', '51000'));
const WORKER_CPU = option('worker-cpu', '0');
const DRIVER_CPU = option('driver-cpu', '1');
/** Raise the worker's and receiver's scheduling priority (the machine is shared; see the wait column). */
const RENICE = flag('renice');
/**
 * SCHED_FIFO for the worker and the receiver: on a shared, overloaded machine the
 * worker otherwise waits for its own core and the bench measures the neighbours.
 * The kernel's RT throttling still leaves 5% of the core to others.
 */
let REALTIME = !flag('no-realtime');

// The bench is a CLI: it configures the app's environment before the app module is loaded.
Object.assign(process.env, {
  NODE_ENV: 'development',
  LOG_LEVEL: 'silent',
  MEDIASOUP_NUM_WORKERS: '1',
  MEDIASOUP_LOG_LEVEL: 'none',
  MEDIASOUP_MIN_PORT: option('min-port', '42000'),
  MEDIASOUP_MAX_PORT: option('max-port', '44999'),
  REDIS_PREFIX: `bench_sfu_${process.pid}`,
  MONGODB_URI: process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027/balai_bench',
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------- main ----------
async function main(): Promise<void> {
  execFileSync('taskset', ['-apc', DRIVER_CPU, String(process.pid)], { stdio: 'ignore' });
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
  class SfuBenchModule {}

  const app = await NestFactory.createApplicationContext(SfuBenchModule, { logger: false });
  const pool = app.get(WorkerPoolService);
  const registry = app.get(RoomRegistry);
  const media = app.get(MediaService);
  // Notifications go nowhere: there are no sockets in the bench.
  const silent = {
    emit: () => true,
    to: () => silent,
    join: () => undefined,
    leave: () => undefined,
    id: 'bench',
    data: {},
  };
  app.get(RoomNotifier).attach(silent as never);

  const workerPid = pool.pids()[0];
  execFileSync('taskset', ['-apc', WORKER_CPU, String(workerPid)], { stdio: 'ignore' });
  if (RENICE) execFileSync('renice', ['-n', '-10', '-p', String(workerPid)], { stdio: 'ignore' });
  if (REALTIME) {
    try {
      execFileSync('chrt', ['-f', '-p', '50', String(workerPid)], { stdio: 'ignore' });
    } catch {
      REALTIME = false;
      process.stdout.write('note: could not set SCHED_FIFO (needs CAP_SYS_NICE); watch the workerWaitPct column\n');
    }
  }

  const sessionId = randomBytes(12).toString('hex');
  const room = await registry.getOrCreate({
    sessionId,
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

  /** What the worker received from the host on the top layer: a drop here reaches every viewer. */
  async function topLayerIngress(): Promise<{ received: number; expected: number }> {
    const stats = await video.getStats();
    const top = stats.find((s) => s.ssrc === LAYERS[2].ssrc);
    const received = top?.packetCount ?? 0;
    return { received, expected: received + (top?.packetsLost ?? 0) };
  }

  type Mode = 'project' | 'bare';
  async function addViewers(n: number, mode: Mode): Promise<types.PlainTransport[]> {
    const transports: types.PlainTransport[] = [];
    for (let i = 0; i < n; i += 1) {
      const transport = await room.router.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
        rtcpMux: true,
        comedia: false,
        enableSrtp: SRTP,
        srtpCryptoSuite: 'AES_CM_128_HMAC_SHA1_80',
      });
      await transport.connect({
        ip: '127.0.0.1',
        port: RECEIVER_BASE_PORT + i,
        srtpParameters: SRTP
          ? { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: randomBytes(30).toString('base64') }
          : undefined,
      });
      transports.push(transport);
      if (mode === 'project') {
        const peer = new Peer(silent as never, `viewer-${i}`, `Viewer ${i}`, 'participant');
        // A viewer on a clean link climbs to the top layer within seconds; the bench measures it there.
        peer.link.assume('good');
        room.peers.set(peer.peerId, peer);
        const v = await media.attachConsumer(room, peer, transport, video.id, viewerCaps);
        const a = await media.attachConsumer(room, peer, transport, audio.id, viewerCaps);
        // The viewer's stage tile is 1280x720: the layer policy picks the top layer.
        await media.reportViewport(peer, { consumerId: v.consumerId, width: 1280, height: 720 });
        await media.resumeConsumer(peer, v.consumerId);
        await media.resumeConsumer(peer, a.consumerId);
      } else {
        const v = await transport.consume({ producerId: video.id, rtpCapabilities: viewerCaps, paused: true });
        const a = await transport.consume({ producerId: audio.id, rtpCapabilities: viewerCaps, paused: true });
        await v.setPreferredLayers({ spatialLayer: 2, temporalLayer: 2 });
        await v.resume();
        await a.resume();
        await v.requestKeyFrame();
      }
    }
    return transports;
  }

  function removeViewers(transports: types.PlainTransport[]): void {
    for (const transport of transports) transport.close();
    for (const peer of [...room.peers.values()]) if (peer !== host) room.peers.delete(peer.peerId);
  }

  const rows: Array<Record<string, string | number>> = [];
  let capacity = 0;
  process.stdout.write(
    `SFU bench: 1 worker (pid ${workerPid}) pinned to CPU ${WORKER_CPU}; driver and receiver on CPU ${DRIVER_CPU}; ` +
      `SRTP ${SRTP ? 'on' : 'off'}; ${RENICE ? 'worker and receiver reniced to -10; ' : ''}${REALTIME ? 'worker and receiver SCHED_FIFO 50; ' : ''}warm-up ${WARMUP_MS} ms, window ${WINDOW_MS} ms; host sends VP8 simulcast ` +
      `(${LAYERS.map((l) => `${l.width}p ${l.fps * l.packetsPerFrame} pkt/s`).join(', ')}) + Opus ${AUDIO.pps} pkt/s; viewers get the top layer.\n`,
  );
  for (const n of STEPS) {
    for (const mode of (COMPARE ? ['project', 'bare'] : ['project']) as Mode[]) {
      const transports = await addViewers(n, mode);
      const { ready, done } = runReceiver({
        binary: receiver,
        count: n,
        basePort: RECEIVER_BASE_PORT,
        warmupMs: WARMUP_MS,
        windowMs: WINDOW_MS,
        cpus: DRIVER_CPU,
        renice: RENICE,
        realtime: REALTIME,
      });
      await ready;
      await sleep(WARMUP_MS);
      const cpu0 = cpuTicks(workerPid);
      const wait0 = runDelayNs(workerPid);
      const drops0 = udpRcvbufErrors();
      const ingress0 = await topLayerIngress();
      const sent0 = { video: sender.sent.get(LAYERS[2].ssrc) ?? 0, audio: sender.sent.get(AUDIO.ssrc) ?? 0 };
      const t0 = Date.now();
      const result = await done;
      const elapsed = (Date.now() - t0) / 1000;
      const cpu = ((cpuTicks(workerPid) - cpu0) / CLK_TCK / elapsed) * 100;
      const waitPct = ((runDelayNs(workerPid) - wait0) / 1e9 / elapsed) * 100;
      const udpDrops = udpRcvbufErrors() - drops0;
      const ingress1 = await topLayerIngress();
      const ingressLoss =
        ingress1.expected - ingress0.expected > 0
          ? 1 - (ingress1.received - ingress0.received) / (ingress1.expected - ingress0.expected)
          : 0;
      const sent =
        (sender.sent.get(LAYERS[2].ssrc) ?? 0) - sent0.video + (sender.sent.get(AUDIO.ssrc) ?? 0) - sent0.audio;
      const loss = result.expected ? 1 - result.received / result.expected : 1;
      // Rates, so the receiver's window and this process's slightly longer one compare fairly.
      const delivered = sent ? result.received / result.windowMs / ((sent * n) / (elapsed * 1000)) : 0;
      const ok = loss < 0.01 && delivered >= 0.99 && result.starvedViewers === 0;
      if (ok && mode === 'project') capacity = Math.max(capacity, n);
      const row = {
        mode,
        viewers: n,
        consumers: 2 * n,
        workerCpuPct: Number(cpu.toFixed(1)),
        workerWaitPct: Number(waitPct.toFixed(1)),
        hostIngressLossPct: Number((ingressLoss * 100).toFixed(2)),
        udpRcvbufDrops: udpDrops,
        forwardedPps: Math.round(result.received / (result.windowMs / 1000)),
        lossPct: Number((loss * 100).toFixed(3)),
        deliveredPct: Number((delivered * 100).toFixed(2)),
        worstViewerLossPct: Number((result.worstViewerLoss * 100).toFixed(2)),
        starved: result.starvedViewers,
        verdict: ok ? 'ok' : 'FAIL',
      };
      rows.push(row);
      process.stdout.write(`${JSON.stringify(row)}\n`);
      removeViewers(transports);
      await sleep(500);
    }
    const last = rows.filter((r) => r.mode === 'project').slice(-1)[0];
    if (last?.verdict === 'FAIL' && Number(last.deliveredPct) < 90) break;
  }
  console.table(rows);
  process.stdout.write(
    `Largest N with <1% loss (and >=99% of sent x N delivered, no starved viewer) through the project's room code: ${capacity} viewers (${2 * capacity} consumers) on one worker core.\n`,
  );
  sender.stop();
  await registry.close(room);
  await app.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
