/**
 * One session's routers on this node: the origin (where every publisher's
 * producers, the active-speaker observer and the recorder live) and fan-out
 * routers on other workers, each fed from the origin with `pipeToRouter`.
 *
 * Viewers are placed by load: a receive transport goes to the first router of
 * the session (origin first) whose consumers plus the consumers its viewers
 * are still expected to open fit the budget; when none fits, a fan-out router
 * opens on the least-loaded worker that has no router of this session yet
 * (two routers of one session on one worker would share its core and gain
 * nothing); when every worker already has one, the least-loaded router takes
 * the viewer over budget. A producer is piped to a fan-out only when the
 * first consumer there needs it, and a fan-out closes with its last viewer
 * (closing its pipe transports on both sides).
 *
 * Pause, resume and close of a producer reach the fan-out through the pipe
 * (mediasoup links the pipe consumer and the pipe producer); key-frame
 * requests and simulcast layer choice are the fan-out consumer's own and
 * travel back over the pipe's RTCP. A fan-out whose worker dies is reported
 * through `onFanoutLost` with the viewers it carried, so only they redo their
 * media; the origin's death is the room registry's (every peer redoes it).
 *
 * Never touches sockets or room state: the caller says who is placed and how
 * many consumers it expects.
 */
import { Logger } from '@nestjs/common';
import type { types } from 'mediasoup';
import type { WorkerPoolService } from './worker-pool.service';

interface Fanout {
  router: types.Router;
  /** Producers piped here (or being piped), by producer id. */
  pipes: Map<string, Promise<types.Producer>>;
}

interface Placement {
  peerId: string;
  router: types.Router;
  /** Consumers this receiver is expected to open (reserved until it has them). */
  expected: number;
}

export interface CascadeOptions {
  sessionId: string;
  /** Consumers per router before a fan-out opens (LIVE_ROUTER_CONSUMER_BUDGET). */
  consumerBudget: number;
  /** How many consumers a placed receiver has right now (its reservation shrinks as they open). */
  consumersOf: (peerId: string) => number;
  /** A fan-out died with its worker: these receivers lost their transport and must redo their media. */
  onFanoutLost: (peerIds: string[]) => void;
  /** Pipe transport settings (SRTP, RTX, listen address). */
  pipe?: { listenInfo?: types.TransportListenInfo; enableRtx?: boolean; enableSrtp?: boolean };
}

/** What the cascade looks like now (tests, logs, the bench). */
export interface CascadeView {
  origin: { routerId: string; workerPid: number; consumers: number; receivers: number };
  fanouts: Array<{ routerId: string; workerPid: number; consumers: number; receivers: number; pipes: string[] }>;
}

const logger = new Logger('RouterCascade');

export function workerPidOf(router: types.Router): number {
  const pid = router.appData.workerPid;
  return typeof pid === 'number' ? pid : -1;
}

export class RouterCascade {
  private readonly fanouts = new Map<string, Fanout>();
  /** Placed receivers (one per receive transport, including one still being made). */
  private readonly placements = new Set<Placement>();
  /** Placement runs one at a time per session, so a burst of joins opens one fan-out, not one each. */
  private queue: Promise<unknown> = Promise.resolve();
  private overBudgetWarned = false;
  private closed = false;

  constructor(
    private readonly pool: WorkerPoolService,
    private originRouter: types.Router,
    private readonly options: CascadeOptions,
  ) {}

  get origin(): types.Router {
    return this.originRouter;
  }

  /** Every open router of the session, origin first. */
  routers(): types.Router[] {
    return [this.originRouter, ...[...this.fanouts.values()].map((f) => f.router)];
  }

  /** The router a transport was made on (`appData.routerId`; a transport without one is on the origin). */
  routerOf(transport: types.Transport): types.Router | undefined {
    const id = transport.appData.routerId;
    if (typeof id !== 'string' || id === this.originRouter.id) return this.originRouter;
    return this.fanouts.get(id)?.router;
  }

  /**
   * The router for `peerId`'s receive transport, and `release` to call once
   * that transport is gone (or could not be made). `pinToOrigin` keeps a
   * publisher on the origin: were it on a fan-out that dies, it would have to
   * re-publish and every viewer would lose its media for a moment.
   */
  placeReceiver(
    peerId: string,
    expected: number,
    pinToOrigin = false,
  ): Promise<{ router: types.Router; release: () => void }> {
    const run = this.queue.then(() => this.place(peerId, Math.max(1, expected), pinToOrigin));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async place(
    peerId: string,
    expected: number,
    pinToOrigin: boolean,
  ): Promise<{ router: types.Router; release: () => void }> {
    if (this.closed) throw new Error('the room is closed');
    const router = pinToOrigin ? this.originRouter : (this.firstFit(expected) ?? (await this.openOrOverflow()));
    const placement: Placement = { peerId, router, expected };
    this.placements.add(placement);
    return { router, release: () => this.release(placement) };
  }

  private firstFit(expected: number): types.Router | undefined {
    return this.routers().find((router) => this.load(router) + expected <= this.options.consumerBudget);
  }

  private async openOrOverflow(): Promise<types.Router> {
    const pids = this.routers().map(workerPidOf);
    if (this.pool.hasWorkerOutside(pids)) {
      const router = await this.pool
        .createRouter({ sessionId: this.options.sessionId, role: 'fanout' }, { avoidPids: pids, waitMs: 0 })
        .catch((error: unknown) => {
          // That worker went away meanwhile: the viewer goes over budget rather than nowhere.
          logger.warn({ err: error, sessionId: this.options.sessionId }, 'could not open a fan-out router');
          return undefined;
        });
      if (!router) return this.leastLoaded();
      if (this.closed) {
        router.close();
        throw new Error('the room is closed');
      }
      this.fanouts.set(router.id, { router, pipes: new Map() });
      router.on('workerclose', () => this.fanoutDied(router));
      router.observer.once('close', () => this.fanouts.delete(router.id));
      logger.log(
        { sessionId: this.options.sessionId, routerId: router.id, workerPid: workerPidOf(router) },
        'fan-out router opened',
      );
      return router;
    }
    return this.leastLoaded();
  }

  private leastLoaded(): types.Router {
    const [least] = this.routers().sort((a, b) => this.load(a) - this.load(b));
    if (!this.overBudgetWarned) {
      this.overBudgetWarned = true;
      logger.warn(
        { sessionId: this.options.sessionId, budget: this.options.consumerBudget, routers: this.routers().length },
        'every worker carries this session at its budget; placing viewers over it',
      );
    }
    return least;
  }

  /** Consumers on the router plus what its receivers are still expected to open. */
  load(router: types.Router): number {
    let reserved = 0;
    for (const placement of this.placements) {
      if (placement.router === router)
        reserved += Math.max(0, placement.expected - this.options.consumersOf(placement.peerId));
    }
    return this.pool.consumersOn(router) + reserved;
  }

  /** The receiver's transport is gone: its place is free, and an empty fan-out closes. */
  private release(placement: Placement): void {
    // A router that closed under it (its worker died) closed the transport first: the placement is
    // left for fanoutDied to report; routers closed on purpose drop their placements themselves.
    if (placement.router.closed) return;
    if (!this.placements.delete(placement)) return;
    const fanout = this.fanouts.get(placement.router.id);
    if (fanout && ![...this.placements].some((p) => p.router === fanout.router)) {
      this.fanouts.delete(fanout.router.id);
      fanout.router.close();
      logger.log({ sessionId: this.options.sessionId, routerId: fanout.router.id }, 'fan-out router closed (idle)');
    }
  }

  /** Makes `producerId` (a producer on the origin) consumable on `router`, piping it there once. */
  async ensureProducer(router: types.Router, producerId: string): Promise<void> {
    if (router === this.originRouter) return;
    const fanout = this.fanouts.get(router.id);
    if (!fanout) throw new Error('the fan-out router is gone');
    let pipe = fanout.pipes.get(producerId);
    if (!pipe) {
      pipe = this.originRouter
        .pipeToRouter({
          producerId,
          router,
          listenInfo: this.options.pipe?.listenInfo,
          enableRtx: this.options.pipe?.enableRtx ?? false,
          enableSrtp: this.options.pipe?.enableSrtp ?? false,
        })
        .then(({ pipeProducer }) => {
          if (!pipeProducer) throw new Error('no pipe producer');
          pipeProducer.observer.once('close', () => {
            if (fanout.pipes.get(producerId) === pipe) fanout.pipes.delete(producerId);
          });
          return pipeProducer;
        });
      fanout.pipes.set(producerId, pipe);
      pipe.catch(() => {
        if (fanout.pipes.get(producerId) === pipe) fanout.pipes.delete(producerId);
      });
    }
    await pipe;
  }

  private fanoutDied(router: types.Router): void {
    this.fanouts.delete(router.id);
    const lost: string[] = [];
    for (const placement of [...this.placements]) {
      if (placement.router === router) {
        lost.push(placement.peerId);
        this.placements.delete(placement);
      }
    }
    logger.warn(
      { sessionId: this.options.sessionId, routerId: router.id, receivers: lost.length },
      'fan-out router lost with its worker; its viewers redo their media',
    );
    if (!this.closed) this.options.onFanoutLost(lost);
  }

  /**
   * The origin died (its worker): a new origin, every fan-out closed (their
   * pipes led to the dead one) and every placement forgotten, since every
   * peer redoes its media.
   */
  replaceOrigin(router: types.Router): void {
    this.closeFanouts();
    this.placements.clear();
    this.originRouter = router;
  }

  close(): void {
    this.closed = true;
    this.closeFanouts();
    this.placements.clear();
    if (!this.originRouter.closed) this.originRouter.close();
  }

  private closeFanouts(): void {
    for (const { router } of this.fanouts.values()) router.close();
    this.fanouts.clear();
  }

  view(): CascadeView {
    const receivers = (router: types.Router) => [...this.placements].filter((p) => p.router === router).length;
    return {
      origin: {
        routerId: this.originRouter.id,
        workerPid: workerPidOf(this.originRouter),
        consumers: this.pool.consumersOn(this.originRouter),
        receivers: receivers(this.originRouter),
      },
      fanouts: [...this.fanouts.values()].map(({ router, pipes }) => ({
        routerId: router.id,
        workerPid: workerPidOf(router),
        consumers: this.pool.consumersOn(router),
        receivers: receivers(router),
        pipes: [...pipes.keys()],
      })),
    };
  }
}
