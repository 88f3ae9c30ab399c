/**
 * bench:webinar's two-process variant (issue 14): two live processes on one
 * machine, one mediasoup worker each (worker of the owner on CPU 0, of the
 * edge on CPU 1), viewers split between them. The owner hosts the room (the
 * synthetic host publishes into its origin router through MediaService); the
 * edge pipes the host's producers from it with NodePipes (SRTP PipeTransports
 * negotiated over Redis, the project's cross-node code) into a router of its
 * own. The owner's viewers consume through the room code (attachConsumer);
 * the edge's through its edge room (EdgeRelay.edgeRoom, what a participant's
 * join on a non-owner node makes: producers piped with the first viewer that
 * needs them). One C receiver counts every viewer, as in the other phases.
 *
 * The parent (runTwoNodes) drives both children over stdin/stdout lines:
 *   child -> READY {json}        parent -> ADD <count> <basePort>  -> ADDED
 *   parent -> SENT -> SENT <n>   parent -> REMOVE -> REMOVED        parent -> QUIT
 */
import 'reflect-metadata';
import { execFileSync, spawn, ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface TwoNodeOptions {
  steps: number[];
  warmupMs: number;
  windowMs: number;
  receiverBasePort: number;
  realtime: boolean;
}

// ---------- parent ----------
class Child {
  private readonly lines: string[] = [];
  private waiter?: () => void;
  constructor(readonly proc: ChildProcessWithoutNullStreams) {
    createInterface({ input: proc.stdout }).on('line', (line) => {
      this.lines.push(line);
      this.waiter?.();
    });
    proc.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  }
  async expect(prefix: string, timeoutMs = 120_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.lines.findIndex((line) => line.startsWith(prefix));
      if (index !== -1) return this.lines.splice(index, 1)[0].slice(prefix.length).trim();
      if (Date.now() > deadline || this.proc.exitCode !== null) throw new Error(`child did not say ${prefix}`);
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 200);
      });
    }
  }
  async ask(command: string, answer: string): Promise<string> {
    this.proc.stdin.write(`${command}\n`);
    return this.expect(answer);
  }
}

function spawnChild(role: 'owner' | 'edge', env: Record<string, string>, extra: string[]): Child {
  const proc = spawn(process.execPath, [...process.execArgv, __filename, '--role', role, ...extra], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return new Child(proc);
}

export async function runTwoNodes(
  options: TwoNodeOptions,
): Promise<{ capacity: number; rows: Array<Record<string, string | number>> }> {
  const prefix = `bench_webinar_nodes_${process.pid}`;
  const common = { REDIS_PREFIX: prefix, BENCH_REALTIME: options.realtime ? '1' : '0' };
  const owner = spawnChild(
    'owner',
    {
      ...common,
      LIVE_NODE_ID: 'bench-owner',
      MEDIASOUP_MIN_PORT: '42000',
      MEDIASOUP_MAX_PORT: '43499',
      BENCH_CPU: '0',
    },
    [],
  );
  const ownerInfo = JSON.parse(await owner.expect('READY')) as {
    sessionId: string;
    videoId: string;
    audioId: string;
    workerPid: number;
  };
  const edge = spawnChild(
    'edge',
    { ...common, LIVE_NODE_ID: 'bench-edge', MEDIASOUP_MIN_PORT: '43500', MEDIASOUP_MAX_PORT: '44999', BENCH_CPU: '1' },
    ['--session', ownerInfo.sessionId, '--video', ownerInfo.videoId, '--audio', ownerInfo.audioId],
  );
  const edgeInfo = JSON.parse(await edge.expect('READY')) as { workerPid: number };
  const pids = [ownerInfo.workerPid, edgeInfo.workerPid];
  const receiver = buildReceiver();
  process.stdout.write(
    `\n[two-nodes] owner worker ${ownerInfo.workerPid}->CPU0, edge worker ${edgeInfo.workerPid}->CPU1, viewers split half and half; ` +
      `the edge room pipes the host from the owner (NodePipes, SRTP); receiver and drivers not pinned; load ${loadavg()[0].toFixed(2)}.\n`,
  );
  const rows: Array<Record<string, string | number>> = [];
  let capacity = 0;
  let failsInARow = 0;
  try {
    for (const n of options.steps) {
      const onOwner = Math.ceil(n / 2);
      await owner.ask(`ADD ${onOwner} ${options.receiverBasePort}`, 'ADDED');
      await edge.ask(`ADD ${n - onOwner} ${options.receiverBasePort + onOwner}`, 'ADDED');
      const { ready, done } = runReceiver({
        binary: receiver,
        count: n,
        basePort: options.receiverBasePort,
        warmupMs: options.warmupMs,
        windowMs: options.windowMs,
        realtime: options.realtime,
      });
      await ready;
      await sleep(options.warmupMs);
      const cpu0 = pids.map(cpuTicks);
      const wait0 = pids.map(runDelayNs);
      const drops0 = udpRcvbufErrors();
      // The host's packet count with the owner's own clock: its send rate, free of the round trips.
      const [sent0, at0] = (await owner.ask('SENT', 'SENT')).split(' ').map(Number);
      const t0 = Date.now();
      const result = await done;
      const elapsed = (Date.now() - t0) / 1000;
      const [sent1, at1] = (await owner.ask('SENT', 'SENT')).split(' ').map(Number);
      const sentPerMs = at1 > at0 ? (sent1 - sent0) / (at1 - at0) : 0;
      const cpu = pids.map((pid, i) => ((cpuTicks(pid) - cpu0[i]) / CLK_TCK / elapsed) * 100);
      const wait = pids.map((pid, i) => ((runDelayNs(pid) - wait0[i]) / 1e9 / elapsed) * 100);
      const loss = result.expected ? 1 - result.received / result.expected : 1;
      const delivered = sentPerMs ? result.received / result.windowMs / (sentPerMs * n) : 0;
      const ok = loss < 0.01 && delivered >= 0.99 && result.starvedViewers === 0;
      if (ok) capacity = Math.max(capacity, n);
      const row = {
        phase: 'two-nodes',
        viewers: n,
        viewersPerNode: `${onOwner}/${n - onOwner}`,
        workerCpuPct: cpu.map((c) => c.toFixed(0)).join('/'),
        workerWaitPct: wait.map((w) => w.toFixed(0)).join('/'),
        udpRcvbufDrops: udpRcvbufErrors() - drops0,
        forwardedPps: Math.round(result.received / (result.windowMs / 1000)),
        hostPps: Math.round(sentPerMs * 1000),
        lossPct: Number((loss * 100).toFixed(3)),
        deliveredPct: Number((delivered * 100).toFixed(2)),
        starved: result.starvedViewers,
        load1: Number(loadavg()[0].toFixed(2)),
        verdict: ok ? 'ok' : 'FAIL',
      };
      rows.push(row);
      process.stdout.write(`${JSON.stringify(row)}\n`);
      await owner.ask('REMOVE', 'REMOVED');
      await edge.ask('REMOVE', 'REMOVED');
      await sleep(500);
      failsInARow = ok ? 0 : failsInARow + 1;
      if (failsInARow >= 2) break;
    }
  } finally {
    edge.proc.stdin.write('QUIT\n');
    owner.proc.stdin.write('QUIT\n');
    await sleep(1000);
    edge.proc.kill();
    owner.proc.kill();
  }
  process.stdout.write(`[two-nodes] largest N at < 1% loss: ${capacity} viewers over two live processes.\n`);
  return { capacity, rows };
}

// ---------- a child: one live process ----------
async function child(role: 'owner' | 'edge'): Promise<void> {
  const argv = process.argv.slice(2);
  const option = (name: string) => argv[argv.indexOf(`--${name}`) + 1];
  Object.assign(process.env, {
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    MEDIASOUP_NUM_WORKERS: '1',
    MEDIASOUP_LOG_LEVEL: 'none',
    MONGODB_URI: process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027/balai_bench',
  });
  const { BalaiConfigModule } = await import('@balai/config');
  const { RedisModule } = await import('@balai/common');
  const { DatabaseModule } = await import('@balai/database');
  const { liveAppEnvSchema } = await import('../../apps/live/src/config/live-config');
  const { MediaSignallingModule } = await import('../../apps/live/src/media/media-signalling.module');
  const { ClusterModule } = await import('../../apps/live/src/cluster/cluster.module');
  const { NodePipes } = await import('../../apps/live/src/cluster/node-pipes.service');
  const { EdgeRelay } = await import('../../apps/live/src/cluster/edge-relay.service');
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
      ClusterModule,
    ],
  })
  class TwoNodeBenchModule {}

  const app = await NestFactory.createApplicationContext(TwoNodeBenchModule, { logger: false, abortOnError: false });
  const pool = app.get(WorkerPoolService);
  const media = app.get(MediaService);
  const pipes = app.get(NodePipes);
  await pipes.whenReady();
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
  const workerPid = pool.pids()[0];
  execFileSync('taskset', ['-apc', process.env.BENCH_CPU ?? '0', String(workerPid)], { stdio: 'ignore' });
  if (process.env.BENCH_REALTIME === '1') {
    try {
      execFileSync('chrt', ['-f', '-p', '50', String(workerPid)], { stdio: 'ignore' });
    } catch {
      // Without CAP_SYS_NICE the worker runs at normal priority; the wait column shows it.
    }
  }

  let router: types.Router;
  let videoId: string;
  let audioId: string;
  let sender: SyntheticHost | undefined;
  let addViewer: (i: number, transport: types.PlainTransport) => Promise<void>;
  if (role === 'owner') {
    const registry = app.get(RoomRegistry);
    const room = await registry.getOrCreate({
      sessionId: randomBytes(12).toString('hex'),
      courseId: randomBytes(12).toString('hex'),
      startsAt: new Date(),
      endsAt: new Date(Date.now() + 3600_000),
    });
    const host = new Peer(silent as never, 'bench-host', 'Bench host', 'host');
    room.peers.set(host.peerId, host);
    const ingress = await room.router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: true,
    });
    const video = await media.attachProducer(room, host, ingress, {
      kind: 'video',
      source: 'camera',
      rtpParameters: hostVideoParameters(),
    });
    const audio = await media.attachProducer(room, host, ingress, {
      kind: 'audio',
      source: 'mic',
      rtpParameters: hostAudioParameters(),
    });
    sender = new SyntheticHost(ingress.tuple.localPort);
    await sender.start();
    router = room.router;
    videoId = video.id;
    audioId = audio.id;
    const caps = viewerCapabilities(router);
    addViewer = async (i, transport) => {
      const peer = new Peer(silent as never, `viewer-${i}`, `Viewer ${i}`, 'participant');
      // A viewer on a clean link climbs to the top layer within seconds; the bench measures it there.
      peer.link.assume('good');
      room.peers.set(peer.peerId, peer);
      const v = await media.attachConsumer(room, peer, transport, video.id, caps);
      const a = await media.attachConsumer(room, peer, transport, audio.id, caps);
      await media.reportViewport(peer, { consumerId: v.consumerId, width: 1280, height: 720 });
      await media.resumeConsumer(peer, v.consumerId);
      await media.resumeConsumer(peer, a.consumerId);
    };
    process.stdout.write(`READY ${JSON.stringify({ sessionId: room.sessionId, videoId, audioId, workerPid })}\n`);
  } else {
    // The edge room of the owner's session, as a participant's join on this node makes it (cluster/edge-relay.service.ts):
    // the host's producers piped from the owner with the first viewer that needs them, consumed through the room code.
    const relay = app.get(EdgeRelay);
    await relay.whenReady();
    const room = await relay.edgeRoom(
      {
        sessionId: option('session'),
        courseId: randomBytes(12).toString('hex'),
        startsAt: new Date(),
        endsAt: new Date(Date.now() + 3600_000),
      },
      'bench-owner',
    );
    router = room.router;
    videoId = option('video');
    audioId = option('audio');
    const caps = viewerCapabilities(router);
    addViewer = async (i, transport) => {
      const peer = new Peer(silent as never, `edge-viewer-${i}`, `Edge viewer ${i}`, 'participant');
      peer.link.assume('good');
      room.peers.set(peer.peerId, peer);
      const v = await media.attachConsumer(room, peer, transport, videoId, caps);
      const a = await media.attachConsumer(room, peer, transport, audioId, caps);
      await media.reportViewport(peer, { consumerId: v.consumerId, width: 1280, height: 720 });
      await media.resumeConsumer(peer, v.consumerId);
      await media.resumeConsumer(peer, a.consumerId);
    };
    process.stdout.write(`READY ${JSON.stringify({ workerPid })}\n`);
  }

  let transports: types.PlainTransport[] = [];
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, ...args] = line.trim().split(' ');
    if (command === 'ADD') {
      const [count, basePort] = args.map(Number);
      for (let i = 0; i < count; i += 1) {
        const transport = await router.createPlainTransport({
          listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
          rtcpMux: true,
          comedia: false,
          enableSrtp: true,
          srtpCryptoSuite: 'AES_CM_128_HMAC_SHA1_80',
        });
        await transport.connect({
          ip: '127.0.0.1',
          port: basePort + i,
          srtpParameters: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: randomBytes(30).toString('base64') },
        });
        transports.push(transport);
        await addViewer(basePort + i, transport);
      }
      process.stdout.write('ADDED\n');
    } else if (command === 'SENT') {
      const sent = (sender?.sent.get(LAYERS[2].ssrc) ?? 0) + (sender?.sent.get(AUDIO.ssrc) ?? 0);
      process.stdout.write(`SENT ${sent} ${Date.now()}\n`);
    } else if (command === 'REMOVE') {
      for (const transport of transports) transport.close();
      transports = [];
      process.stdout.write('REMOVED\n');
    } else if (command === 'QUIT') {
      break;
    }
  }
  sender?.stop();
  await app.close();
}

const roleIndex = process.argv.indexOf('--role');
if (roleIndex !== -1) {
  child(process.argv[roleIndex + 1] as 'owner' | 'edge').then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
