/**
 * Attendance reporting over real sockets: one interval per stay, a reconnect
 * within the grace period continues it, a drop beyond it leaves at the drop
 * instant, nothing is lost while the API is down, and ending the session
 * closes everyone's interval. The API side is a stub of its internal endpoint.
 */
import { LiveErrorCode } from '@balai/live-contract';
import { AttendanceOutbox } from '../../../apps/live/src/attendance/attendance-outbox.service';
import { AttendanceStub, startAttendanceStub } from '../../support/attendance-stub';
import { eventually } from '../../support/wait';
import { LiveClient, RunningLive, startLiveApp } from '../../support/live-app';

const GRACE_SECONDS = 1;

jest.setTimeout(15_000);

describe('live attendance reporting', () => {
  let stub: AttendanceStub;
  let live: RunningLive;
  const clients: LiveClient[] = [];
  const connect = async (token: string) => {
    const client = await LiveClient.connect(live.url, token);
    clients.push(client);
    return client;
  };
  const eventsOf = (userId: string) => stub.events.filter((e) => e.userId === userId).map((e) => [e.type, e.reason]);

  beforeAll(async () => {
    stub = await startAttendanceStub();
    process.env.API_INTERNAL_URL = stub.url;
    process.env.LIVE_RECONNECT_GRACE_SECONDS = String(GRACE_SECONDS);
    process.env.ATTENDANCE_RETRY_MS = '100';
    live = await startLiveApp();
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
    stub.down = false;
  });
  afterAll(async () => {
    await live.close();
    await stub.close();
  });

  it('a reconnect within the grace period continues the same interval', async () => {
    const course = await live.factory.course();
    const user = await live.factory.participant(course);
    const first = await connect(user.token);
    await first.ok('room:join', { sessionId: course.sessionId });
    first.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await connect(user.token);
    await second.ok('room:join', { sessionId: course.sessionId });
    await new Promise((resolve) => setTimeout(resolve, GRACE_SECONDS * 1000 + 500));
    expect(eventsOf(user.id)).toEqual([['join', undefined]]);
    await second.ok('room:leave');
    await eventually(
      () => eventsOf(user.id),
      (e) => e.length === 2,
    );
    expect(eventsOf(user.id)).toEqual([
      ['join', undefined],
      ['leave', 'left'],
    ]);
  });

  it('a drop beyond the grace period leaves at the instant of the drop', async () => {
    const course = await live.factory.course();
    const user = await live.factory.participant(course);
    const client = await connect(user.token);
    await client.ok('room:join', { sessionId: course.sessionId });
    const droppedAt = Date.now();
    client.close();
    await eventually(
      () => eventsOf(user.id),
      (e) => e.length === 2,
      5000,
    );
    const leave = stub.events.find((e) => e.userId === user.id && e.type === 'leave')!;
    expect(leave.reason).toBe('disconnected');
    expect(Math.abs(new Date(leave.at).getTime() - droppedAt)).toBeLessThan(500);
  });

  it('a second connection of the same user replaces the first without a new interval', async () => {
    const course = await live.factory.course();
    const user = await live.factory.participant(course);
    const first = await connect(user.token);
    await first.ok('room:join', { sessionId: course.sessionId });
    const second = await connect(user.token);
    await second.ok('room:join', { sessionId: course.sessionId });
    expect(await first.next('room:removed')).toMatchObject({ reason: 'replaced' });
    expect(await first.request('chat:send', { text: 'hi' })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.NotInRoom },
    });
    // Whatever the replacement queued has been delivered once the outbox is empty.
    await eventually(
      () => live.app.get(AttendanceOutbox).pending(),
      (n) => n === 0,
      4000,
    );
    expect(eventsOf(user.id)).toEqual([['join', undefined]]);
  });

  it('keeps events while the API is down and delivers each once when it is back', async () => {
    const course = await live.factory.course();
    const user = await live.factory.participant(course);
    stub.down = true;
    const client = await connect(user.token);
    await client.ok('room:join', { sessionId: course.sessionId });
    await client.ok('room:leave');
    // The outbox has tried and retried (ATTENDANCE_RETRY_MS) against the "down" API.
    const refusedBefore = stub.refused;
    await eventually(
      () => stub.refused,
      (n) => n >= refusedBefore + 2,
      5000,
    );
    expect(eventsOf(user.id)).toEqual([]);
    expect(await live.app.get(AttendanceOutbox).pending()).toBeGreaterThanOrEqual(2);
    stub.down = false;
    // Leaves of earlier tests' sockets may still be in their grace period; the outbox drains to empty.
    await eventually(
      () => live.app.get(AttendanceOutbox).pending(),
      (n) => n === 0,
      5000,
    );
    expect(eventsOf(user.id)).toEqual([
      ['join', undefined],
      ['leave', 'left'],
    ]);
  });

  it('ending the session tells everyone, closes every interval and refuses re-entry', async () => {
    const course = await live.factory.course();
    const user = await live.factory.participant(course);
    const host = await connect(course.trainer.token);
    await host.ok('room:join', { sessionId: course.sessionId });
    const participant = await connect(user.token);
    await participant.ok('room:join', { sessionId: course.sessionId });
    expect(await participant.request('session:end')).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.Forbidden },
    });
    await host.ok('session:end');
    expect(await participant.next('session:ended')).toMatchObject({
      sessionId: course.sessionId,
      reason: 'ended-by-host',
    });
    await eventually(
      () => [...eventsOf(user.id), ...eventsOf(course.trainer.id)],
      (e) => e.length === 4,
    );
    expect(eventsOf(user.id)).toEqual([
      ['join', undefined],
      ['leave', 'session-ended'],
    ]);
    const again = await connect(user.token);
    expect(await again.request('room:join', { sessionId: course.sessionId })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.SessionOver },
    });
  });

  it('closes the room when time is up (end + grace) and closes every interval', async () => {
    const now = Date.now();
    // The room closes ROOM_GRACE_MINUTES (30) after the end: here, 1.5 s from now.
    const course = await live.factory.course({
      startsAt: new Date(now - 90 * 60_000),
      endsAt: new Date(now - 30 * 60_000 + 1500),
    });
    const user = await live.factory.participant(course);
    const participant = await connect(user.token);
    await participant.ok('room:join', { sessionId: course.sessionId });
    expect(await participant.next('session:ended', 5000)).toMatchObject({ reason: 'time-up' });
    await eventually(
      () => eventsOf(user.id),
      (e) => e.length === 2,
    );
    expect(eventsOf(user.id)).toEqual([
      ['join', undefined],
      ['leave', 'session-ended'],
    ]);
    expect(await participant.request('chat:send', { text: 'late' })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.NotInRoom },
    });
  });
});
