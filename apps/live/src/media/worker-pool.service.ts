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
  /** Routers placed on this worker (origins and fan-outs of every session). */
  routers: number;
  /** Consumers on this worker's routers (viewers', pipes', recorders'): the load measure for placement. */
  consumers: number;
}

export interface CreateRouterOptions {
  /** Only a worker whose pid is not listed (a session's fan-out goes where the session has no router yet). */
  avoidPids?: readonly number[];
  /** How long to wait for a replacement when every worker has just died. */
  waitMs?: number;
}

/**
 * The pool of mediasoup workers (one per core unless configured), the only
 * place that creates workers and routers. Load is counted in consumers per
 * worker and per router (from mediasoup's observer events, so every consumer
 * counts, whoever made it). A worker that dies is replaced and `worker-died`
 * is emitted with its pid so rooms on it can be rebuilt.
 */
@Injectable()
export class WorkerPoolService extends EventEmitter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WorkerPoolService.name);
  private readonly workers = new Map<number, PooledWorker>();
  private readonly routerConsumers = new WeakMap<types.Router, number>();
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

  /** Live workers (for dumps in tests and the health endpoint). */
  liveWorkers(): types.Worker[] {
    return [...this.workers.values()].map(({ worker }) => worker).filter((worker) => !worker.closed && !worker.died);
  }

  /** Consumers on this router right now. */
  consumersOn(router: types.Router): number {
    return this.routerConsumers.get(router) ?? 0;
  }

  /** Per live worker: pid, routers and consumers (the load placement reads). */
  load(): Array<{ pid: number; routers: number; consumers: number }> {
    return [...this.workers.values()]
      .filter(({ worker }) => !worker.closed && !worker.died)
      .map(({ worker, routers, consumers }) => ({ pid: worker.pid, routers, consumers }));
  }

  /** Whether a live worker outside `avoidPids` exists (somewhere a new fan-out router could open). */
  hasWorkerOutside(avoidPids: readonly number[]): boolean {
    return this.leastLoaded(avoidPids) !== undefined;
  }

  /**
   * A router on the least-loaded live worker (fewest consumers, then fewest
   * routers) outside `avoidPids`; `appData.workerPid` names it. Waits briefly
   * for a replacement when every worker has just died.
   */
  async createRouter(appData: Record<string, unknown> = {}, options: CreateRouterOptions = {}): Promise<types.Router> {
    const avoid = options.avoidPids ?? [];
    const deadline = Date.now() + (options.waitMs ?? 10_000);
    let target = this.leastLoaded(avoid);
    while (!target && !this.closing && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      target = this.leastLoaded(avoid);
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
    this.countConsumers(router, target);
    return router;
  }

  private countConsumers(router: types.Router, pooled: PooledWorker): void {
    this.routerConsumers.set(router, 0);
    router.observer.on('newtransport', (transport) => {
      transport.observer.on('newconsumer', (consumer) => {
        pooled.consumers += 1;
        this.routerConsumers.set(router, (this.routerConsumers.get(router) ?? 0) + 1);
        consumer.observer.once('close', () => {
          pooled.consumers = Math.max(0, pooled.consumers - 1);
          this.routerConsumers.set(router, Math.max(0, (this.routerConsumers.get(router) ?? 0) - 1));
        });
      });
    });
  }

  private leastLoaded(avoidPids: readonly number[] = []): PooledWorker | undefined {
    return [...this.workers.values()]
      .filter(({ worker }) => !worker.closed && !worker.died && !avoidPids.includes(worker.pid))
      .sort((a, b) => a.consumers - b.consumers || a.routers - b.routers)[0];
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
    this.workers.set(worker.pid, { worker, routers: 0, consumers: 0 });
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
