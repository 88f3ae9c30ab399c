import type { ConfigService } from '@nestjs/config';
import type { AttendanceEvent } from '@balai/domain';
import type { LiveAppEnv } from '../config/live-config';
import type { AttendanceOutbox } from './attendance-outbox.service';
import { AttendanceService } from './attendance.service';
import type { PresenceStore } from './presence.store';

class FakeOutbox {
  readonly events: AttendanceEvent[] = [];
  async enqueue(event: AttendanceEvent): Promise<void> {
    this.events.push(event);
  }
}

/** The store's rules (one owner per person and session, compare-and-delete) in memory. */
class FakePresenceStore {
  readonly owners = new Map<string, string>();
  down = false;
  private check(): void {
    if (this.down) throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
  }
  async open(nodeId: string, sessionId: string, userId: string): Promise<'opened' | 'continued'> {
    this.check();
    const key = `${sessionId}:${userId}`;
    const had = this.owners.has(key);
    this.owners.set(key, nodeId);
    return had ? 'continued' : 'opened';
  }
  async close(nodeId: string | null, sessionId: string, userId: string): Promise<boolean> {
    this.check();
    const key = `${sessionId}:${userId}`;
    const owner = this.owners.get(key);
    if (!owner || (nodeId !== null && owner !== nodeId)) return false;
    this.owners.delete(key);
    return true;
  }
}

const settings: Record<string, unknown> = { LIVE_RECONNECT_GRACE_SECONDS: 30, LIVE_NODE_ID: 'node-1' };
const config = { get: (name: string) => settings[name] } as unknown as ConfigService<LiveAppEnv, true>;

describe('AttendanceService', () => {
  let outbox: FakeOutbox;
  let store: FakePresenceStore;
  let sut: AttendanceService;

  beforeEach(() => {
    jest.useFakeTimers();
    outbox = new FakeOutbox();
    store = new FakePresenceStore();
    sut = new AttendanceService(outbox as unknown as AttendanceOutbox, store as unknown as PresenceStore, config);
  });
  afterEach(() => jest.useRealTimers());

  const types = () => outbox.events.map((e) => `${e.type}${e.reason ? `:${e.reason}` : ''}`);

  it('reports one join for repeated entries of a present user', async () => {
    await sut.entered('s', 'u');
    await sut.entered('s', 'u');
    expect(types()).toEqual(['join']);
  });

  it('continues the interval when the user is back within the grace period', async () => {
    await sut.entered('s', 'u');
    sut.dropped('s', 'u');
    jest.advanceTimersByTime(29_000);
    await sut.entered('s', 'u');
    jest.advanceTimersByTime(60_000);
    expect(types()).toEqual(['join']);
  });

  it('leaves at the drop instant once the grace period is over', async () => {
    await sut.entered('s', 'u');
    const droppedAt = Date.now();
    sut.dropped('s', 'u');
    jest.advanceTimersByTime(30_000);
    await Promise.resolve();
    expect(types()).toEqual(['join', 'leave:disconnected']);
    expect(new Date(outbox.events[1].at).getTime()).toBe(droppedAt);
  });

  it('reports a leave only once however many ways the user goes', async () => {
    await sut.entered('s', 'u');
    sut.dropped('s', 'u');
    await sut.left('s', 'u', 'removed');
    await sut.left('s', 'u', 'left');
    await sut.sessionClosed('s', 'session-ended');
    jest.advanceTimersByTime(60_000);
    expect(types()).toEqual(['join', 'leave:removed']);
  });

  it('gives every event its own id', async () => {
    await sut.entered('s', 'u');
    await sut.left('s', 'u', 'left');
    await sut.entered('s', 'u');
    expect(new Set(outbox.events.map((e) => e.eventId)).size).toBe(3);
  });

  it('closes every interval of a session when it ends', async () => {
    await sut.entered('s', 'a');
    await sut.entered('s', 'b');
    await sut.entered('other', 'c');
    await sut.sessionClosed('s', 'session-ended');
    expect(outbox.events.filter((e) => e.type === 'leave').map((e) => e.userId)).toEqual(['a', 'b']);
  });

  it('stamps the join with the time of the action, not of the store', async () => {
    const at = new Date(Date.now() - 30_000);
    await sut.entered('s', 'u', at);
    expect(outbox.events[0].at).toBe(at.toISOString());
  });

  it('records nothing when the store is unreachable at join (the join fails as a whole)', async () => {
    store.down = true;
    await expect(sut.entered('s', 'u')).rejects.toThrow();
    expect(outbox.events).toEqual([]);
    expect(sut.isPresent('s', 'u')).toBe(false);
  });

  it('still reports a leave when the store is unreachable', async () => {
    await sut.entered('s', 'u');
    store.down = true;
    await sut.left('s', 'u', 'left');
    expect(types()).toEqual(['join', 'leave:left']);
  });

  it('opens a new interval for a rejoin after a leave reported while the store was down', async () => {
    await sut.entered('s', 'u');
    store.down = true;
    await sut.left('s', 'u', 'left');
    store.down = false;
    await sut.entered('s', 'u');
    expect(types()).toEqual(['join', 'leave:left', 'join']);
  });

  it('continues an interval another node (or a previous run) left open, without a second join', async () => {
    store.owners.set('s:u', 'dead-node');
    await sut.entered('s', 'u');
    await sut.left('s', 'u', 'left');
    expect(types()).toEqual(['leave:left']);
  });

  describe('after a crash', () => {
    it("closes an adopted interval at the previous run's last heartbeat when nobody returns", async () => {
      store.owners.set('s:u', 'node-1');
      const stoppedAt = new Date(Date.now() - 10_000);
      sut.adopt([{ sessionId: 's', userId: 'u' }], stoppedAt);
      jest.advanceTimersByTime(20_000);
      await Promise.resolve();
      await Promise.resolve();
      expect(types()).toEqual(['leave:disconnected']);
      expect(outbox.events[0].at).toBe(stoppedAt.toISOString());
    });

    it('continues an adopted interval when the person is back within the grace', async () => {
      store.owners.set('s:u', 'node-1');
      sut.adopt([{ sessionId: 's', userId: 'u' }], new Date());
      jest.advanceTimersByTime(5_000);
      await sut.entered('s', 'u');
      jest.advanceTimersByTime(60_000);
      expect(types()).toEqual([]);
      expect(sut.isPresent('s', 'u')).toBe(true);
    });

    it("closes a silent node's intervals once, at the time it stopped, skipping those taken over", async () => {
      store.owners.set('s:a', 'dead');
      store.owners.set('s:b', 'dead');
      await sut.entered('s', 'b'); // b rejoined here first: the interval moved to this node
      const stoppedAt = new Date(Date.now() - 7_000);
      const intervals = [
        { sessionId: 's', userId: 'a' },
        { sessionId: 's', userId: 'b' },
      ];
      expect(await sut.recover('dead', intervals, stoppedAt)).toBe(1);
      expect(await sut.recover('dead', intervals, stoppedAt)).toBe(0);
      expect(outbox.events.map((e) => `${e.type}:${e.userId}:${e.at}`)).toEqual([`leave:a:${stoppedAt.toISOString()}`]);
    });
  });

  it('records "Keluar kelas" from a connection that is not in the room', async () => {
    store.owners.set('s:u', 'node-1');
    await sut.leftExplicitly('s', 'u');
    await sut.leftExplicitly('s', 'u');
    expect(types()).toEqual(['leave:left']);
  });
});
