import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { ATTENDANCE_EVENTS_PATH, INTERNAL_TOKEN_HEADER } from '@balai/domain';
import { RunningApp, startApiApp } from '../../support/api-app';
import { createCourse, createSession, createUser, enrolDirect, TestUser } from '../../support/factories';

const TOKEN = 'balai-dev-only-internal-token-change-me';
const MIN = 60_000;

jest.setTimeout(90_000);

describe('attendance API', () => {
  let sut: RunningApp;
  let admin: TestUser;
  let trainer: TestUser;
  beforeAll(async () => {
    sut = await startApiApp();
    admin = await createUser(sut.app, 'admin');
    trainer = await createUser(sut.app, 'trainer');
  });
  afterAll(() => sut.close());

  const post = (body: Record<string, unknown>, token: string | null = TOKEN) => {
    const req = request(sut.url).post(ATTENDANCE_EVENTS_PATH);
    if (token !== null) req.set(INTERNAL_TOKEN_HEADER, token);
    return req.send(body);
  };
  const event = (type: 'join' | 'leave', sessionId: string, userId: string, at: Date, eventId = randomUUID()) => ({
    eventId,
    type,
    sessionId,
    userId,
    at: at.toISOString(),
    ...(type === 'leave' ? { reason: 'left' } : {}),
  });

  /** A 60-minute session that started 2 hours ago, with the participant enrolled. */
  async function setup() {
    const course = await createCourse(sut.app, { trainerIds: [trainer.id], minAttendancePercent: 80 });
    const start = new Date(Math.floor((Date.now() - 120 * MIN) / MIN) * MIN);
    const session = await createSession(sut.app, course.id, start, 60, [trainer.id]);
    const p = await createUser(sut.app, 'participant');
    await enrolDirect(sut.app, course.id, p.id);
    return { course, session, start, p };
  }
  const at = (start: Date, minutes: number) => new Date(start.getTime() + minutes * MIN);

  it('requires the internal token', async () => {
    const { session, start, p } = await setup();
    await post(event('join', session.id, p.id, start), null).expect(401);
    await post(event('join', session.id, p.id, start), 'wrong-token-wrong-token').expect(401);
    await request(sut.url)
      .post(ATTENDANCE_EVENTS_PATH)
      .set(admin.auth)
      .send(event('join', session.id, p.id, start))
      .expect(401);
  });

  it('is idempotent by eventId, merges reconnections, and counts minutes inside the schedule', async () => {
    const { course, session, start, p } = await setup();
    const join1 = event('join', session.id, p.id, at(start, -10)); // early entry: clipped to the start
    expect((await post(join1).expect(200)).body.result).toBe('recorded');
    expect((await post(join1).expect(200)).body.result).toBe('duplicate');
    const leave1 = event('leave', session.id, p.id, at(start, 20));
    await post(leave1).expect(200);
    expect((await post(leave1).expect(200)).body.result).toBe('duplicate');
    // Reconnect after a 5 minute gap, and a second tab overlapping it.
    await post(event('join', session.id, p.id, at(start, 25))).expect(200);
    await post(event('join', session.id, p.id, at(start, 30))).expect(200);
    await post(event('leave', session.id, p.id, at(start, 50))).expect(200);
    await post(event('leave', session.id, p.id, at(start, 55))).expect(200);

    const view = await request(sut.url).get(`/api/sessions/${session.id}/attendance`).set(trainer.auth).expect(200);
    const row = view.body.rows.find((r: { userId: string }) => r.userId === p.id);
    expect(row).toMatchObject({ attendedMinutes: 50, scheduledMinutes: 60, connections: 3 });
    expect(row.percent).toBeCloseTo(83.3, 1);

    const csv = await request(sut.url).get(`/api/sessions/${session.id}/attendance.csv`).set(admin.auth).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toContain('attended_minutes');
    expect(csv.text).toContain(`${p.id},`);

    const courseView = await request(sut.url).get(`/api/courses/${course.id}/attendance`).set(admin.auth).expect(200);
    expect(courseView.body.rows[0]).toMatchObject({ userId: p.id, attendedMinutes: 50, meetsThreshold: true });
    const mine = await request(sut.url).get(`/api/courses/${course.id}/attendance/me`).set(p.auth).expect(200);
    expect(mine.body.rows).toHaveLength(1);
    expect(mine.body.rows[0].percent).toBeCloseTo(83.3, 1);
  });

  it('a leave that arrives before its join closes the late join at the right time', async () => {
    const { session, start, p } = await setup();
    const leave = event('leave', session.id, p.id, at(start, 30));
    expect((await post(leave).expect(200)).body.result).toBe('recorded');
    expect((await post(leave).expect(200)).body.result).toBe('duplicate');
    await post(event('join', session.id, p.id, at(start, 10))).expect(200);
    const view = await request(sut.url).get(`/api/sessions/${session.id}/attendance`).set(admin.auth).expect(200);
    expect(view.body.rows.find((r: { userId: string }) => r.userId === p.id)).toMatchObject({
      attendedMinutes: 20,
      connections: 1,
    });
  });

  it('concurrent retries of the same join store one interval', async () => {
    const { session, start, p } = await setup();
    const join = event('join', session.id, p.id, at(start, 0));
    const results = await Promise.all([0, 1, 2, 3, 4].map(() => post(join)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const view = await request(sut.url).get(`/api/sessions/${session.id}/attendance`).set(admin.auth).expect(200);
    expect(view.body.rows.find((r: { userId: string }) => r.userId === p.id).connections).toBe(1);
  });

  it('rejects bad events with 4xx', async () => {
    const { session, start, p } = await setup();
    await post({ ...event('join', session.id, p.id, start), type: 'wave' }).expect(400);
    await post({ ...event('join', session.id, p.id, start), sessionId: 'nope' }).expect(400);
    await post({ ...event('join', session.id, p.id, start), at: 'soon' }).expect(400);
    await post({ ...event('join', session.id, p.id, start), extra: 1 }).expect(400);
    await post(event('join', session.id, p.id, new Date(Date.now() + 86_400_000))).expect(400);
    await post(event('join', 'ffffffffffffffffffffffff', p.id, start)).expect(404);
  });

  it('role matrix: staff of the course read attendance; participants only their own', async () => {
    const { course, session, p } = await setup();
    const other = await createUser(sut.app, 'participant');
    const otherTrainer = await createUser(sut.app, 'trainer');
    await request(sut.url).get(`/api/sessions/${session.id}/attendance`).set(p.auth).expect(403);
    await request(sut.url).get(`/api/sessions/${session.id}/attendance`).set(otherTrainer.auth).expect(403);
    await request(sut.url).get(`/api/sessions/${session.id}/attendance`).expect(401);
    await request(sut.url).get(`/api/sessions/${session.id}/attendance.csv`).set(p.auth).expect(403);
    await request(sut.url).get(`/api/courses/${course.id}/attendance`).set(p.auth).expect(403);
    await request(sut.url).get(`/api/courses/${course.id}/attendance`).set(otherTrainer.auth).expect(403);
    await request(sut.url).get(`/api/courses/${course.id}/attendance/me`).set(other.auth).expect(403);
    await request(sut.url).get(`/api/courses/${course.id}/attendance/me`).set(admin.auth).expect(403);
    await request(sut.url).get(`/api/sessions/bad/attendance`).set(admin.auth).expect(400);
  });
});
