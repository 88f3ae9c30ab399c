import type { ConfigService } from '@nestjs/config';
import type { AttendanceEvent } from '@balai/domain';
import type { LiveAppEnv } from '../config/live-config';
import type { AttendanceOutbox } from './attendance-outbox.service';
import { AttendanceService } from './attendance.service';
import type { OpenInterval, OpenOutcome, PresenceStore } from './presence.store';

class FakeOutbox {
  readonly events: AttendanceEvent[] = [];
  async enqueue(event: AttendanceEvent): Promise<void> {
    this.events.push(event);
  }
}

/** The store's rules (one owner per person and session, compare-and-delete, the join id kept) in memory. */
class FakePresenceStore {
  readonly owners = new Map<string, { nodeId: string; joinEventId: string }>();
  down = false;
  private check(): void {
    if (this.down) throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
  }
  async open(nodeId: string, sessionId: string, userId: string, _at: Date, joinEventId: string): Promise<OpenOutcome> {
    this.check();
    const key = `${sessionId}:${userId}`;
    const had = this.owners.get(key);
    this.owners.set(key, { nodeId, joinEventId: had?.joinEventId ?? joinEventId });
    return had ? { outcome: 'continued', joinEventId: had.joinEventId } : { outcome: 'opened' };
  }
  async close(nodeId: string | null, sessionId: string, userId: string): Promise<OpenInterval | null> {
    this.check();
    const key = `${sessionId}:${userId}`;
    const owner = this.owners.get(key);
    if (!owner || (nodeId !== null && owner.nodeId !== nodeId)) return null;
    this.owners.delete(key);
    return { sessionId, userId, joinEventId: owner.joinEventId };
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

  it('names the join that opened the interval in its leave (the API reaches the interval by it)', async () => {
    await sut.entered('s', 'u');
    sut.dropped('s', 'u');
    await sut.entered('s', 'u'); // back within the grace: same interval
    await sut.left('s', 'u', 'left');
    await sut.entered('s', 'u');
    await sut.leftExplicitly('s', 'u');
    const [join1, leave1, join2, leave2] = outbox.events;
    expect([join1.type, leave1.type, join2.type, leave2.type]).toEqual(['join', 'leave', 'join', 'leave']);
    expect(leave1.joinEventId).toBe(join1.eventId);
    expect(leave2.joinEventId).toBe(join2.eventId);
    expect(join1.joinEventId).toBeUndefined();
  });

  it('a leave names the join even when the store is unreachable at the leave', async () => {
    await sut.entered('s', 'u');
    store.down = true;
    await sut.left('s', 'u', 'left');
    expect(outbox.events[1]).toMatchObject({ type: 'leave', joinEventId: outbox.events[0].eventId });
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
    store.owners.set('s:u', { nodeId: 'dead-node', joinEventId: 'join-s:u' });
    await sut.entered('s', 'u');
    await sut.left('s', 'u', 'left');
    expect(types()).toEqual(['leave:left']);
  });

  describe('after a crash', () => {
    it("closes an adopted interval at the previous run's last heartbeat when nobody returns", async () => {
      store.owners.set('s:u', { nodeId: 'node-1', joinEventId: 'join-s:u' });
      const stoppedAt = new Date(Date.now() - 10_000);
      sut.adopt([{ sessionId: 's', userId: 'u' }], stoppedAt);
      jest.advanceTimersByTime(20_000);
      await Promise.resolve();
      await Promise.resolve();
      expect(types()).toEqual(['leave:disconnected']);
      expect(outbox.events[0].at).toBe(stoppedAt.toISOString());
    });

    it('continues an adopted interval when the person is back within the grace', async () => {
      store.owners.set('s:u', { nodeId: 'node-1', joinEventId: 'join-s:u' });
      sut.adopt([{ sessionId: 's', userId: 'u' }], new Date());
      jest.advanceTimersByTime(5_000);
      await sut.entered('s', 'u');
      jest.advanceTimersByTime(60_000);
      expect(types()).toEqual([]);
      expect(sut.isPresent('s', 'u')).toBe(true);
    });

    it("closes a silent node's intervals once, at the time it stopped, skipping those taken over", async () => {
      store.owners.set('s:a', { nodeId: 'dead', joinEventId: 'join-s:a' });
      store.owners.set('s:b', { nodeId: 'dead', joinEventId: 'join-s:b' });
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
    store.owners.set('s:u', { nodeId: 'node-1', joinEventId: 'join-s:u' });
    await sut.leftExplicitly('s', 'u');
    await sut.leftExplicitly('s', 'u');
    expect(types()).toEqual(['leave:left']);
  });
});
