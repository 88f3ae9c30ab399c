/**
 * Issue 15: the batched, idempotent attendance ingest
 * (POST /api/internal/attendance/events/batch). Each interval is reached by the
 * id derived from its join; a batch delivered twice stores once; a leave that
 * arrives before its join waits for it; a refused event is answered alone.
 */
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { Types } from 'mongoose';
import { AttendanceInterval, attendanceIntervalId } from '@balai/database';
import { ATTENDANCE_EVENTS_BATCH_PATH, INTERNAL_TOKEN_HEADER } from '@balai/domain';
import { RunningApp, startApiApp } from '../../support/api-app';
import { createCourse, createSession, createUser, enrolDirect, TestUser } from '../../support/factories';

const TOKEN = 'balai-dev-only-internal-token-change-me';
const MIN = 60_000;

jest.setTimeout(90_000);

describe('attendance batch ingest', () => {
  let sut: RunningApp;
  let admin: TestUser;
  let trainer: TestUser;
  let intervals: Model<AttendanceInterval>;
  beforeAll(async () => {
    sut = await startApiApp();
    admin = await createUser(sut.app, 'admin');
    trainer = await createUser(sut.app, 'trainer');
    intervals = sut.app.get(getModelToken(AttendanceInterval.name));
  });
  afterAll(() => sut.close());

  const post = (events: unknown[], token: string | null = TOKEN) => {
    const req = request(sut.url).post(ATTENDANCE_EVENTS_BATCH_PATH);
    if (token !== null) req.set(INTERNAL_TOKEN_HEADER, token);
    return req.send({ events });
  };
  const join = (sessionId: string, userId: string, at: Date) => ({
    eventId: randomUUID(),
    type: 'join' as const,
    sessionId,
    userId,
    at: at.toISOString(),
  });
  const leave = (j: { eventId: string; sessionId: string; userId: string }, at: Date) => ({
    eventId: randomUUID(),
    type: 'leave' as const,
    sessionId: j.sessionId,
    userId: j.userId,
    at: at.toISOString(),
    reason: 'left',
    joinEventId: j.eventId,
  });
  const results = (res: request.Response) =>
    (res.body as { results: Array<{ result: string }> }).results.map((r) => r.result);

  /** A 60-minute session that started 2 hours ago, with participants enrolled. */
  async function setup(people = 2) {
    const course = await createCourse(sut.app, { trainerIds: [trainer.id] });
    const start = new Date(Math.floor((Date.now() - 120 * MIN) / MIN) * MIN);
    const session = await createSession(sut.app, course.id, start, 60, [trainer.id]);
    const ps: TestUser[] = [];
    for (let i = 0; i < people; i += 1) {
      const p = await createUser(sut.app, 'participant');
      await enrolDirect(sut.app, course.id, p.id);
      ps.push(p);
    }
    return { session, start, ps };
  }
  const at = (start: Date, minutes: number) => new Date(start.getTime() + minutes * MIN);
  const minutesOf = async (sessionId: string, userId: string) => {
    const view = await request(sut.url).get(`/api/sessions/${sessionId}/attendance`).set(admin.auth).expect(200);
    return (view.body.rows as Array<{ userId: string; attendedMinutes: number; connections: number }>).find(
      (r) => r.userId === userId,
    );
  };

  it('requires the internal token and a well-formed batch', async () => {
    const { session, start, ps } = await setup(1);
    await post([join(session.id, ps[0].id, start)], null).expect(401);
    await post([join(session.id, ps[0].id, start)], 'wrong-token-wrong-token').expect(401);
    await post([]).expect(400);
    await post([{ ...join(session.id, ps[0].id, start), type: 'wave' }]).expect(400);
    await request(sut.url).post(ATTENDANCE_EVENTS_BATCH_PATH).set(INTERNAL_TOKEN_HEADER, TOKEN).send({}).expect(400);
  });

  it('stores each interval under the id derived from its join; the same batch delivered twice stores once', async () => {
    const { session, start, ps } = await setup(2);
    const [a, b] = ps;
    const joinA = join(session.id, a.id, at(start, 0));
    const joinB = join(session.id, b.id, at(start, 5));
    const batch = [joinA, joinB, leave(joinA, at(start, 30))];
    expect(results(await post(batch).expect(200))).toEqual(['recorded', 'recorded', 'recorded']);
    expect(results(await post(batch).expect(200))).toEqual(['duplicate', 'duplicate', 'duplicate']);

    const stored = await intervals.find({ sessionId: new Types.ObjectId(session.id) }).lean();
    expect(stored).toHaveLength(2);
    const storedA = stored.find((i) => String(i.userId) === a.id)!;
    expect(String(storedA._id)).toBe(String(attendanceIntervalId(joinA.eventId)));
    expect(storedA.leftAt?.toISOString()).toBe(at(start, 30).toISOString());
    expect(stored.find((i) => String(i.userId) === b.id)!.leftAt).toBeUndefined();
    expect(await minutesOf(session.id, a.id)).toMatchObject({ attendedMinutes: 30, connections: 1 });
  });

  it('a leave that arrives before its join is kept and completed by the late join', async () => {
    const { session, start, ps } = await setup(1);
    const j = join(session.id, ps[0].id, at(start, 10));
    const l = leave(j, at(start, 40));
    expect(results(await post([l]).expect(200))).toEqual(['recorded']);
    expect(await minutesOf(session.id, ps[0].id)).toMatchObject({ attendedMinutes: 0, connections: 0 });
    expect(results(await post([l]).expect(200))).toEqual(['duplicate']);
    expect(results(await post([j]).expect(200))).toEqual(['recorded']);
    expect(results(await post([j, l]).expect(200))).toEqual(['duplicate', 'duplicate']);
    const stored = await intervals.find({ sessionId: new Types.ObjectId(session.id) }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ joinEventId: j.eventId, leaveEventId: l.eventId });
    expect(stored[0].joinPending).toBeUndefined();
    expect(await minutesOf(session.id, ps[0].id)).toMatchObject({ attendedMinutes: 30, connections: 1 });
  });

  it('a second leave of a closed interval changes nothing (the first one wins)', async () => {
    const { session, start, ps } = await setup(1);
    const j = join(session.id, ps[0].id, at(start, 0));
    expect(results(await post([j, leave(j, at(start, 20))]).expect(200))).toEqual(['recorded', 'recorded']);
    expect(results(await post([leave(j, at(start, 50))]).expect(200))).toEqual(['ignored']);
    expect(await minutesOf(session.id, ps[0].id)).toMatchObject({ attendedMinutes: 20 });
  });

  it('answers a refused event alone: the rest of the batch is stored', async () => {
    const { session, start, ps } = await setup(2);
    const good = join(session.id, ps[0].id, at(start, 0));
    const noSession = join('ffffffffffffffffffffffff', ps[1].id, at(start, 0));
    const future = join(session.id, ps[1].id, new Date(Date.now() + 86_400_000));
    const res = await post([noSession, good, future]).expect(200);
    expect(res.body.results).toEqual([
      { eventId: noSession.eventId, result: 'rejected', code: 'NOT_FOUND' },
      { eventId: good.eventId, result: 'recorded' },
      { eventId: future.eventId, result: 'rejected', code: 'EVENT_IN_FUTURE' },
    ]);
    expect(await intervals.countDocuments({ sessionId: new Types.ObjectId(session.id) })).toBe(1);
  });

  it('many people joining and leaving in one batch: each stay stored once, in order per interval', async () => {
    const { session, start, ps } = await setup(12);
    const joins = ps.map((p, i) => join(session.id, p.id, at(start, i)));
    const leaves = joins.map((j, i) => leave(j, at(start, 30 + i)));
    // Interleaved, and delivered twice in overlapping batches (as two live nodes draining one list would).
    const all = joins.flatMap((j, i) => [j, leaves[i]]);
    const [first, second] = await Promise.all([post(all.slice(0, 16)), post(all.slice(8))]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(results(await post(all).expect(200)).every((r) => r === 'duplicate')).toBe(true);
    const stored = await intervals.find({ sessionId: new Types.ObjectId(session.id) }).lean();
    expect(stored).toHaveLength(12);
    for (const [i, p] of ps.entries()) {
      const mine = stored.filter((s) => String(s.userId) === p.id);
      expect(mine).toHaveLength(1);
      expect(mine[0].joinedAt.toISOString()).toBe(at(start, i).toISOString());
      expect(mine[0].leftAt?.toISOString()).toBe(at(start, 30 + i).toISOString());
    }
  });
});
