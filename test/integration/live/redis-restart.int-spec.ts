/**
 * Redis restarted mid-session (a private redis-server, so the shared one is
 * untouched): while it is away a command is reported failed (UNAVAILABLE,
 * with an error id and no driver text) and never applied later; a chat
 * message the sender was told had failed is never delivered and never counts
 * against the rate limit; "Keluar kelas" is still recorded; and every time
 * recorded is the time the person acted, not the time Redis came back.
 */
import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { Types } from 'mongoose';
import { RedisClient } from '@balai/common';
import { ChatMessage } from '@balai/database';
import { LiveErrorCode } from '@balai/live-contract';
import { AttendanceStub, startAttendanceStub } from '../../support/attendance-stub';
import { LiveClient, RunningLive, startLiveApp } from '../../support/live-app';
import { PrivateRedis } from '../../support/redis-server';
import { eventually, sleep } from '../../support/wait';

const RATE_LIMIT = 3;
/** A refusal while Redis is away must come at once, not after a reconnect timeout (generous for a loaded machine). */
const FAIL_FAST_MS = 3000;

jest.setTimeout(120_000);

describe('live service across a Redis restart', () => {
  let redis: PrivateRedis;
  let stub: AttendanceStub;
  let live: RunningLive;
  const clients: LiveClient[] = [];
  const connect = async (token: string) => {
    const client = await LiveClient.connect(live.url, token);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    stub = await startAttendanceStub();
    process.env.REDIS_URL = redis.url;
    process.env.API_INTERNAL_URL = stub.url;
    process.env.ATTENDANCE_RETRY_MS = '100';
    process.env.CHAT_RATE_LIMIT_COUNT = String(RATE_LIMIT);
    process.env.CHAT_RATE_LIMIT_WINDOW_MS = '120000';
    live = await startLiveApp();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await live?.close();
    await stub?.close();
    await redis?.destroy();
  });

  it('fails fast while Redis is away, applies nothing later, and keeps the times of the actions', async () => {
    const course = await live.factory.course();
    const host = await connect(course.trainer.token);
    await host.ok('room:join', { sessionId: course.sessionId });
    const sender = await live.factory.participant(course);
    const senderClient = await connect(sender.token);
    await senderClient.ok('room:join', { sessionId: course.sessionId });
    const leaver = await live.factory.participant(course);
    const leaverClient = await connect(leaver.token);
    await leaverClient.ok('room:join', { sessionId: course.sessionId });
    const late = await live.factory.participant(course);
    await eventually(
      () => stub.events.length,
      (n) => n === 3,
      10_000,
    );

    await redis.stop();

    // A chat message while Redis is away: refused at once, with an error id and no driver text.
    let started = Date.now();
    const failed = await senderClient.request('chat:send', { text: 'sent while redis was away' });
    const failMs = Date.now() - started;
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.error.code).toBe(LiveErrorCode.Unavailable);
    expect(failed.error.details?.errorId).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    expect(failed.error.message).not.toMatch(/enableOfflineQueue|Stream|ioredis|ECONN|writeable/i);
    expect(failMs).toBeLessThan(FAIL_FAST_MS);

    // A join while Redis is away is refused as a whole (nothing half-recorded).
    const lateClient = await connect(late.token);
    const refusedJoin = await lateClient.request('room:join', { sessionId: course.sessionId });
    expect(refusedJoin).toMatchObject({ ok: false, error: { code: LiveErrorCode.Unavailable } });

    // "Keluar kelas" while Redis is away is still recorded, at the time of the click.
    const clickedAt = Date.now();
    await leaverClient.ok('room:leave');
    const leave = await eventually(
      () => stub.events.filter((e) => e.userId === leaver.id && e.type === 'leave'),
      (l) => l.length === 1,
      10_000,
    );
    expect(new Date(leave[0].at).getTime()).toBeGreaterThanOrEqual(clickedAt - 5);
    expect(new Date(leave[0].at).getTime()).toBeLessThanOrEqual(Date.now());

    const outageStartedAt = Date.now();
    await sleep(1500); // Redis stays away a moment, as a restart would
    await redis.restart();
    // Back once live's own connection is (the health endpoint also waits on the shared, busy database).
    const client = live.app.get(RedisClient).client;
    await eventually(
      () => client.status,
      (status) => status === 'ready',
      20_000,
    );
    const recoveredMs = Date.now() - outageStartedAt;

    // The refused message was never applied: not stored, not delivered, not counted.
    const messages: Model<ChatMessage> = live.app.get(getModelToken(ChatMessage.name));
    for (let i = 1; i <= RATE_LIMIT; i += 1) await senderClient.ok('chat:send', { text: `after ${i}` });
    expect(await senderClient.request('chat:send', { text: 'one too many' })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.RateLimited },
    });
    await sleep(500);
    const texts = (await messages.find({ sessionId: new Types.ObjectId(course.sessionId) }).lean()).map((m) => m.text);
    expect(texts.sort()).toEqual(['after 1', 'after 2', 'after 3']);

    // A join after the restart is stamped when it was asked for.
    started = Date.now();
    await lateClient.ok('room:join', { sessionId: course.sessionId });
    const joinedAt = Date.now();
    const join = await eventually(
      () => stub.events.filter((e) => e.userId === late.id),
      (l) => l.length === 1,
      10_000,
    );
    expect(join[0].type).toBe('join');
    expect(new Date(join[0].at).getTime()).toBeGreaterThanOrEqual(started - 5);
    expect(new Date(join[0].at).getTime()).toBeLessThanOrEqual(joinedAt);
    process.stdout.write(
      `redis restart: chat refused in ${failMs} ms while away; service healthy ${recoveredMs} ms after the outage began\n`,
    );
  });
});
