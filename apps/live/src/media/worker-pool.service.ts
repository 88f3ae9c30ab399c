import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { LiveAppEnv } from '../config/live-config';
import { routerMediaCodecs } from './media.config';

interface PooledWorker {
  worker: types.Worker;
  /** Routers (rooms) placed on this worker: the load measure for placement. */
  routers: number;
}

/**
 * The pool of mediasoup workers (one per core unless configured), the only
 * place that creates workers and routers. A worker that dies is replaced and
 * `worker-died` is emitted with its pid so rooms on it can be rebuilt.
 */
@Injectable()
export class WorkerPoolService extends EventEmitter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WorkerPoolService.name);
  private readonly workers = new Map<number, PooledWorker>();
  private closing = false;

  constructor(private readonly config: ConfigService<LiveAppEnv, true>) {
    super();
  }

  async onModuleInit(): Promise<void> {
    const configured = this.config.get('MEDIASOUP_NUM_WORKERS', { infer: true });
    const count = configured > 0 ? configured : availableParallelism();
    for (let i = 0; i < count; i += 1) await this.spawn();
    this.logger.log({ workers: count, version: mediasoup.version }, 'mediasoup worker pool ready');
  }

  onModuleDestroy(): void {
    this.closing = true;
    for (const { worker } of this.workers.values()) worker.close();
    this.workers.clear();
  }

  /** Number of workers alive right now (reported by the health endpoint). */
  get aliveCount(): number {
    return [...this.workers.values()].filter(({ worker }) => !worker.closed && !worker.died).length;
  }

  pids(): number[] {
    return [...this.workers.keys()];
  }

  /**
   * A router on the least-loaded live worker; `appData.workerPid` names it.
   * Waits briefly for a replacement when every worker has just died.
   */
  async createRouter(appData: Record<string, unknown> = {}, waitMs = 10_000): Promise<types.Router> {
    const deadline = Date.now() + waitMs;
    let target = this.leastLoaded();
    while (!target && !this.closing && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      target = this.leastLoaded();
    }
    if (!target) throw new Error('no live mediasoup worker');
    const router = await target.worker.createRouter({
      mediaCodecs: routerMediaCodecs(this.config.get('LIVE_OPUS_MAX_AVERAGE_BITRATE', { infer: true })),
      appData: { ...appData, workerPid: target.worker.pid },
    });
    target.routers += 1;
    router.observer.once('close', () => {
      target.routers = Math.max(0, target.routers - 1);
    });
    return router;
  }

  private leastLoaded(): PooledWorker | undefined {
    return [...this.workers.values()]
      .filter(({ worker }) => !worker.closed && !worker.died)
      .sort((a, b) => a.routers - b.routers)[0];
  }

  /** Transport listen settings shared by every WebRTC transport. */
  listenInfos(): types.TransportListenInfo[] {
    const ip = this.config.get('MEDIASOUP_LISTEN_IP', { infer: true });
    const announcedAddress = this.config.get('MEDIASOUP_ANNOUNCED_ADDRESS', { infer: true });
    const portRange = {
      min: this.config.get('MEDIASOUP_MIN_PORT', { infer: true }),
      max: this.config.get('MEDIASOUP_MAX_PORT', { infer: true }),
    };
    return [
      { protocol: 'udp', ip, announcedAddress, portRange },
      { protocol: 'tcp', ip, announcedAddress, portRange },
    ];
  }

  private async spawn(): Promise<void> {
    const worker = await mediasoup.createWorker({
      logLevel: this.config.get('MEDIASOUP_LOG_LEVEL', { infer: true }),
      rtcMinPort: this.config.get('MEDIASOUP_MIN_PORT', { infer: true }),
      rtcMaxPort: this.config.get('MEDIASOUP_MAX_PORT', { infer: true }),
    });
    this.workers.set(worker.pid, { worker, routers: 0 });
    worker.on('died', (error) => {
      this.workers.delete(worker.pid);
      if (this.closing) return;
      this.logger.error({ pid: worker.pid, err: error }, 'mediasoup worker died; replacing it');
      this.emit('worker-died', worker.pid);
      this.spawn().catch((spawnError: unknown) =>
        this.logger.error({ err: spawnError }, 'could not replace a dead mediasoup worker'),
      );
    });
  }
}
