/**
 * Placement rules of the router cascade with a strict fake pool (the real
 * routers and pipes are covered by test/integration/live/cascade*.int-spec.ts).
 */
import { Logger } from '@nestjs/common';
import type { types } from 'mediasoup';
import { RouterCascade } from './router-cascade';
import type { WorkerPoolService } from './worker-pool.service';

class FakeRouter {
  closed = false;
  private readonly closeListeners: Array<() => void> = [];
  readonly observer = { once: (_: 'close', fn: () => void) => this.closeListeners.push(fn) };
  constructor(
    readonly id: string,
    readonly appData: { workerPid: number },
  ) {}
  on(): void {}
  close(): void {
    this.closed = true;
    for (const fn of this.closeListeners) fn();
  }
}

class FakePool {
  readonly pids = [101, 102, 103];
  readonly consumers = new Map<string, number>();
  created: FakeRouter[] = [];
  consumersOn(router: FakeRouter): number {
    return this.consumers.get(router.id) ?? 0;
  }
  hasWorkerOutside(avoid: readonly number[]): boolean {
    return this.pids.some((pid) => !avoid.includes(pid));
  }
  createRouter(_appData: unknown, options: { avoidPids: number[] }): Promise<FakeRouter> {
    const pid = this.pids.find((p) => !options.avoidPids.includes(p));
    if (pid === undefined) return Promise.reject(new Error('no worker'));
    const router = new FakeRouter(`r${this.created.length + 1}`, { workerPid: pid });
    this.created.push(router);
    return Promise.resolve(router);
  }
}

function cascadeWith(budget: number) {
  const pool = new FakePool();
  const origin = new FakeRouter('origin', { workerPid: 101 });
  const consumersOf = new Map<string, number>();
  const lost: string[][] = [];
  const sut = new RouterCascade(pool as unknown as WorkerPoolService, origin as unknown as types.Router, {
    sessionId: 's1',
    consumerBudget: budget,
    consumersOf: (peerId) => consumersOf.get(peerId) ?? 0,
    onFanoutLost: (peerIds) => lost.push(peerIds),
  });
  return { sut, pool, origin, consumersOf, lost };
}

describe('RouterCascade placement', () => {
  beforeAll(() => Logger.overrideLogger(false));
  it('keeps a small room on the origin (no fan-out, nothing piped)', async () => {
    const { sut, origin, pool } = cascadeWith(10);
    for (const peer of ['a', 'b', 'c', 'd', 'e']) expect((await sut.placeReceiver(peer, 2)).router).toBe(origin);
    expect(pool.created).toEqual([]);
  });

  it('reserves the expected consumers of receivers that have not consumed yet', async () => {
    const { sut, origin, pool } = cascadeWith(4);
    await sut.placeReceiver('a', 2);
    await sut.placeReceiver('b', 2);
    const third = await sut.placeReceiver('c', 2);
    expect(third.router).not.toBe(origin);
    expect(pool.created).toHaveLength(1);
  });

  it('counts consumers that exist instead of the reservation once they are open', async () => {
    const { sut, origin, pool, consumersOf } = cascadeWith(4);
    await sut.placeReceiver('a', 2);
    consumersOf.set('a', 2);
    pool.consumers.set('origin', 2);
    expect(sut.load(origin as unknown as types.Router)).toBe(2);
    expect((await sut.placeReceiver('b', 2)).router).toBe(origin);
  });

  it('opens one fan-out per worker, then places over budget on the least-loaded router', async () => {
    const { sut, pool } = cascadeWith(2);
    const placed = [];
    for (const peer of ['a', 'b', 'c', 'd', 'e']) placed.push(await sut.placeReceiver(peer, 2));
    expect(pool.created.map((r) => r.appData.workerPid)).toEqual([102, 103]);
    expect(placed.map((p) => (p.router as unknown as FakeRouter).id)).toEqual(['origin', 'r1', 'r2', 'origin', 'r1']);
  });

  it('a burst of concurrent placements opens a single fan-out', async () => {
    const { sut, pool } = cascadeWith(2);
    await sut.placeReceiver('a', 2);
    await Promise.all([sut.placeReceiver('b', 1), sut.placeReceiver('c', 1)]);
    expect(pool.created).toHaveLength(1);
  });

  it('pins a publisher to the origin whatever its load', async () => {
    const { sut, origin } = cascadeWith(2);
    await sut.placeReceiver('a', 2);
    expect((await sut.placeReceiver('host', 2, true)).router).toBe(origin);
  });

  it('closes a fan-out with its last receiver, never the origin', async () => {
    const { sut, pool, origin } = cascadeWith(2);
    const a = await sut.placeReceiver('a', 2);
    const b = await sut.placeReceiver('b', 2);
    b.release();
    expect(pool.created[0].closed).toBe(true);
    expect(sut.view().fanouts).toEqual([]);
    a.release();
    expect(origin.closed).toBe(false);
  });

  it('places over budget when the fan-out cannot be opened (its worker went away meanwhile)', async () => {
    const { sut, pool, origin } = cascadeWith(2);
    await sut.placeReceiver('a', 2);
    pool.createRouter = () => Promise.reject(new Error('worker died'));
    expect((await sut.placeReceiver('b', 2)).router).toBe(origin);
  });

  it('a released placement frees its reservation; releasing twice is harmless', async () => {
    const { sut, origin, pool } = cascadeWith(2);
    const a = await sut.placeReceiver('a', 2);
    a.release();
    a.release();
    expect((await sut.placeReceiver('b', 2)).router).toBe(origin);
    expect(pool.created).toEqual([]);
  });
});
