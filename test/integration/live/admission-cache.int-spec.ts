/**
 * Issue 15: admission reads who is enrolled (and which accounts are blocked)
 * from a per-course cache, kept right by the API's change messages. Real API
 * and real live app on the same database and Redis prefix: after each change
 * made through the API (enrol, cancel, removal by an admin, block, unblock) the
 * next join sees it, with the cache warm before the change. The live node
 * delivers attendance to this API in batches (its internal URL points at it).
 */
import request from 'supertest';
import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { Types } from 'mongoose';
import { AttendanceInterval } from '@balai/database';
import { LiveErrorCode } from '@balai/live-contract';
import { RunningApp, startApiApp } from '../../support/api-app';
import { createCourse, createSession, createUser, TestUser } from '../../support/factories';
import { LiveClient, RunningLive } from '../../support/live-app';
import { waitFor } from '../../support/wait';

jest.setTimeout(120_000);

describe('live admission cache (issue 15)', () => {
  let api: RunningApp;
  let live: RunningLive;
  let admin: TestUser;
  let trainer: TestUser;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    api = await startApiApp();
    process.env.API_INTERNAL_URL = api.url;
    const { startLiveApp } = await import('../../support/live-app');
    live = await startLiveApp();
    admin = await createUser(api.app, 'admin');
    trainer = await createUser(api.app, 'trainer');
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(async () => {
    await live?.close();
    await api?.close();
  });

  /** A published course whose only session is open now. */
  async function courseNow() {
    const course = await createCourse(api.app, { trainerIds: [trainer.id], capacity: 5 });
    const session = await createSession(api.app, course.id, new Date(Date.now() - 10 * 60_000), 120, [trainer.id]);
    return { courseId: course.id, sessionId: session.id };
  }

  /** One join attempt from a fresh connection; the error code, or 'ok' (then it leaves again). */
  async function tryJoin(user: TestUser, sessionId: string): Promise<string> {
    const client = await LiveClient.connect(live.url, user.token);
    clients.push(client);
    const ack = await client.request('room:join', { sessionId });
    if (!ack.ok) {
      client.close();
      return ack.error.code;
    }
    await client.ok('room:leave', {});
    client.close();
    return 'ok';
  }

  /** The change reaches the live node over pub/sub a moment after the API answered. */
  async function expectJoin(user: TestUser, sessionId: string, expected: string) {
    let last = '';
    await waitFor(
      async () => (last = await tryJoin(user, sessionId)) === expected,
      5000,
      `join to answer ${expected} (last: ${last})`,
    ).catch(() => expect(last).toBe(expected));
  }

  it('an enrolment made through the API admits at once, though the course was cached without it', async () => {
    const { courseId, sessionId } = await courseNow();
    const p = await createUser(api.app, 'participant');
    const other = await createUser(api.app, 'participant');
    await request(api.url)
      .post(`/api/courses/${courseId}/roster`)
      .set(admin.auth)
      .send({ userId: other.id })
      .expect(201);
    expect(await tryJoin(other, sessionId)).toBe('ok'); // the course's enrolled set is now cached
    expect(await tryJoin(p, sessionId)).toBe(LiveErrorCode.NotAllowed);

    await request(api.url).post(`/api/courses/${courseId}/enrollments`).set(p.auth).send({}).expect(201);
    await expectJoin(p, sessionId, 'ok');
  });

  it('a cancellation and a removal by an admin refuse the next join', async () => {
    const { courseId, sessionId } = await courseNow();
    const leaver = await createUser(api.app, 'participant');
    const removed = await createUser(api.app, 'participant');
    for (const p of [leaver, removed]) {
      await request(api.url).post(`/api/courses/${courseId}/roster`).set(admin.auth).send({ userId: p.id }).expect(201);
    }
    expect(await tryJoin(leaver, sessionId)).toBe('ok');
    expect(await tryJoin(removed, sessionId)).toBe('ok');

    await request(api.url).delete(`/api/courses/${courseId}/enrollments/me`).set(leaver.auth).expect(200);
    await expectJoin(leaver, sessionId, LiveErrorCode.NotAllowed);
    await request(api.url).delete(`/api/courses/${courseId}/roster/${removed.id}`).set(admin.auth).expect(200);
    await expectJoin(removed, sessionId, LiveErrorCode.NotAllowed);

    // Enrolled again (a re-activation of the same enrolment): admitted again.
    await request(api.url).post(`/api/courses/${courseId}/enrollments`).set(leaver.auth).send({}).expect(201);
    await expectJoin(leaver, sessionId, 'ok');
  });

  it('a blocked account is refused and admitted again once unblocked', async () => {
    const { courseId, sessionId } = await courseNow();
    const p = await createUser(api.app, 'participant');
    await request(api.url).post(`/api/courses/${courseId}/roster`).set(admin.auth).send({ userId: p.id }).expect(201);
    expect(await tryJoin(p, sessionId)).toBe('ok');

    await request(api.url).patch(`/api/users/${p.id}/active`).set(admin.auth).send({ active: false }).expect(200);
    await expectJoin(p, sessionId, LiveErrorCode.NotAllowed);
    expect(await tryJoin(trainer, sessionId)).toBe('ok'); // others are not affected

    await request(api.url).patch(`/api/users/${p.id}/active`).set(admin.auth).send({ active: true }).expect(200);
    await expectJoin(p, sessionId, 'ok');
  });

  it('a removal from the session by the host refuses re-entry (Redis set, checked at every join)', async () => {
    const { courseId, sessionId } = await courseNow();
    const p = await createUser(api.app, 'participant');
    await request(api.url).post(`/api/courses/${courseId}/roster`).set(admin.auth).send({ userId: p.id }).expect(201);
    const host = await LiveClient.connect(live.url, trainer.token);
    clients.push(host);
    await host.ok('room:join', { sessionId });
    const guest = await LiveClient.connect(live.url, p.token);
    clients.push(guest);
    const joined = await guest.ok('room:join', { sessionId });
    await host.ok('moderation:remove', { peerId: joined.self.peerId });
    expect(await tryJoin(p, sessionId)).toBe(LiveErrorCode.Removed);
  });

  it('the joins and leaves of these tests reach the API in batches, each stay stored once', async () => {
    const { courseId, sessionId } = await courseNow();
    const p = await createUser(api.app, 'participant');
    await request(api.url).post(`/api/courses/${courseId}/roster`).set(admin.auth).send({ userId: p.id }).expect(201);
    expect(await tryJoin(p, sessionId)).toBe('ok');
    expect(await tryJoin(p, sessionId)).toBe('ok');
    const intervals = api.app.get<Model<AttendanceInterval>>(getModelToken(AttendanceInterval.name));
    const mine = () =>
      intervals.find({ sessionId: new Types.ObjectId(sessionId), userId: new Types.ObjectId(p.id) }).lean();
    await waitFor(async () => (await mine()).filter((i) => i.leftAt).length === 2, 15_000, 'both stays stored');
    const rows = await mine();
    expect(rows).toHaveLength(2);
    expect(rows.every((i) => i.leaveReason === 'left' && !i.joinPending)).toBe(true);
  });
});
