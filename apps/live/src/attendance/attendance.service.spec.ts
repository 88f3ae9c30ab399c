import type { ConfigService } from '@nestjs/config';
import type { AttendanceEvent } from '@balai/domain';
import type { LiveAppEnv } from '../config/live-config';
import type { AttendanceOutbox } from './attendance-outbox.service';
import { AttendanceService } from './attendance.service';

class FakeOutbox {
  readonly events: AttendanceEvent[] = [];
  async enqueue(event: AttendanceEvent): Promise<void> {
    this.events.push(event);
  }
}

const config = { get: () => 30 } as unknown as ConfigService<LiveAppEnv, true>;

describe('AttendanceService', () => {
  let outbox: FakeOutbox;
  let sut: AttendanceService;

  beforeEach(() => {
    jest.useFakeTimers();
    outbox = new FakeOutbox();
    sut = new AttendanceService(outbox as unknown as AttendanceOutbox, config);
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
});
