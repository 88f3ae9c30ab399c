/**
 * The server side of issue 9's rough edges, over HTTP against the real API:
 * my enrolment on the course page, seats right after enrolling, courses whose
 * sessions are over, marking completed, the next session in the catalogue,
 * issuing right after an early end (with the time in WIB otherwise), the
 * issuing panel's per-person attendance and reasons, and the attendance list
 * without the trainer.
 */
import request from 'supertest';
import { Types } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { CourseSession } from '@balai/database';
import { ATTENDANCE_EVENTS_PATH, INTERNAL_TOKEN_HEADER } from '@balai/domain';
import { RunningApp, startApiApp } from '../../support/api-app';
import { createCourse, createSession, createUser, enrolDirect, model, TestUser } from '../../support/factories';

const TOKEN = 'balai-dev-only-internal-token-change-me';
const MIN = 60_000;
const HOUR = 60 * MIN;

// Generous: this file shares two cores with six other engineers' test runs.
jest.setTimeout(180_000);

describe('course journey (server side)', () => {
  let sut: RunningApp;
  let admin: TestUser;
  let trainer: TestUser;
  beforeAll(async () => {
    sut = await startApiApp();
    admin = await createUser(sut.app, 'admin');
    trainer = await createUser(sut.app, 'trainer');
  });
  afterAll(() => sut.close());

  const attend = (type: 'join' | 'leave', sessionId: string, userId: string, at: Date) =>
    request(sut.url)
      .post(ATTENDANCE_EVENTS_PATH)
      .set(INTERNAL_TOKEN_HEADER, TOKEN)
      .send({ eventId: randomUUID(), type, sessionId, userId, at: at.toISOString() })
      .expect(200);
  const endEarly = (sessionId: string, at: Date) =>
    model<CourseSession>(sut.app, CourseSession.name).updateOne(
      { _id: new Types.ObjectId(sessionId) },
      { $set: { status: 'ended', liveStartedAt: at, liveEndedAt: at } },
    );

  it('the course page shows my enrolment and place in line, and seats left right after enrolling or cancelling', async () => {
    const course = await createCourse(sut.app, { capacity: 1, trainerIds: [trainer.id] });
    await createSession(sut.app, course.id, new Date(Date.now() + 24 * HOUR));
    const [ani, budi] = [await createUser(sut.app, 'participant'), await createUser(sut.app, 'participant')];

    const before = await request(sut.url).get(`/api/courses/${course.id}`).set(ani.auth).expect(200);
    expect(before.body).toMatchObject({
      myEnrollment: null,
      seatsLeft: 1,
      schedulePhase: 'upcoming',
      enrollmentOpen: true,
    });

    const seated = await request(sut.url).post(`/api/courses/${course.id}/enrollments`).set(ani.auth).expect(201);
    expect(seated.body).toMatchObject({ status: 'enrolled', seats: { capacity: 1, seatsTaken: 1, seatsLeft: 0 } });
    const page = await request(sut.url).get(`/api/courses/${course.id}`).set(ani.auth).expect(200);
    expect(page.body).toMatchObject({ seatsLeft: 0, seatsTaken: 1, myEnrollment: { status: 'enrolled' } });

    const waiting = await request(sut.url).post(`/api/courses/${course.id}/enrollments`).set(budi.auth).expect(201);
    expect(waiting.body).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(
      (await request(sut.url).get(`/api/courses/${course.id}`).set(budi.auth).expect(200)).body.myEnrollment,
    ).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });

    // Cancelling hands the seat to the first in line; staff see no myEnrollment field.
    const cancelled = await request(sut.url)
      .delete(`/api/courses/${course.id}/enrollments/me`)
      .set(ani.auth)
      .expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', seats: { seatsTaken: 1, seatsLeft: 0 } });
    expect(
      (await request(sut.url).get(`/api/courses/${course.id}`).set(ani.auth).expect(200)).body.myEnrollment,
    ).toBeNull();
    expect(
      (await request(sut.url).get(`/api/courses/${course.id}`).set(budi.auth).expect(200)).body.myEnrollment,
    ).toMatchObject({ status: 'enrolled' });
    expect(
      (await request(sut.url).get(`/api/courses/${course.id}`).set(admin.auth).expect(200)).body.myEnrollment,
    ).toBeUndefined();

    // Leaving the waitlist frees nothing.
    const carla = await createUser(sut.app, 'participant');
    await request(sut.url).post(`/api/courses/${course.id}/enrollments`).set(carla.auth).expect(201);
    const left = await request(sut.url).delete(`/api/courses/${course.id}/enrollments/me`).set(carla.auth).expect(200);
    expect(left.body).toMatchObject({ status: 'cancelled', seats: { seatsTaken: 1 } });
  });

  it('a course whose sessions are over is no longer upcoming, cannot be enrolled, and can be marked completed', async () => {
    const course = await createCourse(sut.app, { trainerIds: [trainer.id] });
    const session = await createSession(sut.app, course.id, new Date(Date.now() - 3 * HOUR), 60);
    const p = await createUser(sut.app, 'participant');

    const detail = await request(sut.url).get(`/api/catalogue/${course.id}`).expect(200);
    expect(detail.body).toMatchObject({
      schedulePhase: 'over',
      enrollmentOpen: false,
      nextSessionAt: null,
      nextSession: null,
    });
    expect(detail.body.allowedTransitions).toContain('completed');
    const refused = await request(sut.url).post(`/api/courses/${course.id}/enrollments`).set(p.auth).expect(409);
    expect(refused.body.error).toBe('REGISTRATION_CLOSED');

    const done = await request(sut.url)
      .post(`/api/courses/${course.id}/status`)
      .set(admin.auth)
      .send({ status: 'completed' })
      .expect(200);
    expect(done.body).toMatchObject({ status: 'completed', allowedTransitions: [] });
    expect(session.id).toBeTruthy();
  });

  it('a published course still running cannot be marked completed; the refusal says until when, in WIB', async () => {
    const course = await createCourse(sut.app, { trainerIds: [trainer.id] });
    await createSession(sut.app, course.id, new Date(Date.now() + 2 * HOUR), 60);
    const detail = await request(sut.url).get(`/api/courses/${course.id}`).set(admin.auth).expect(200);
    expect(detail.body.allowedTransitions).not.toContain('completed');
    const refused = await request(sut.url)
      .post(`/api/courses/${course.id}/status`)
      .set(admin.auth)
      .send({ status: 'completed' })
      .expect(409);
    expect(refused.body.error).toBe('COURSE_NOT_FINISHED');
    expect(JSON.stringify(refused.body)).toContain('WIB');
  });

  it('the catalogue shows the next session, not a past one', async () => {
    const course = await createCourse(sut.app, { status: 'ongoing', trainerIds: [trainer.id] });
    await createSession(sut.app, course.id, new Date(Date.now() - 26 * HOUR), 60);
    const next = await createSession(sut.app, course.id, new Date(Date.now() + 22 * HOUR), 60);
    const page = await request(sut.url).get('/api/catalogue?limit=100').expect(200);
    const card = page.body.items.find((c: { id: string }) => c.id === course.id);
    expect(card).toMatchObject({
      schedulePhase: 'running',
      enrollmentOpen: true,
      nextSessionAt: next.startsAt.toISOString(),
      nextSession: { id: next.id },
    });
  });

  it('when the trainer ends the last session early, certificates can be issued at once, counted against the time held', async () => {
    const course = await createCourse(sut.app, {
      status: 'ongoing',
      trainerIds: [trainer.id],
      minAttendancePercent: 80,
    });
    const start = new Date(Math.floor((Date.now() - 40 * MIN) / MIN) * MIN);
    const session = await createSession(sut.app, course.id, start, 120, [trainer.id]);
    const [stayed, brief] = [await createUser(sut.app, 'participant'), await createUser(sut.app, 'participant')];
    for (const p of [stayed, brief]) await enrolDirect(sut.app, course.id, p.id);

    // Before the end: 409, and the message names the scheduled end in WIB.
    const early = await request(sut.url)
      .post(`/api/courses/${course.id}/certificates/issue`)
      .set(admin.auth)
      .expect(409);
    expect(early.body.error).toBe('COURSE_NOT_FINISHED');
    expect(JSON.stringify(early.body)).toContain('WIB');
    const pending = await request(sut.url)
      .get(`/api/courses/${course.id}/certificates/eligibility`)
      .set(admin.auth)
      .expect(200);
    expect(pending.body).toMatchObject({ allSessionsEnded: false, issuableFrom: session.endsAt.toISOString() });

    const endedAt = new Date(start.getTime() + 30 * MIN);
    await attend('join', session.id, trainer.id, start);
    await attend('join', session.id, stayed.id, start);
    await attend('leave', session.id, stayed.id, endedAt);
    await attend('join', session.id, brief.id, start);
    await attend('leave', session.id, brief.id, new Date(start.getTime() + 10 * MIN));
    await attend('leave', session.id, trainer.id, endedAt);
    await endEarly(session.id, endedAt);

    const panel = await request(sut.url)
      .get(`/api/courses/${course.id}/certificates/eligibility`)
      .set(admin.auth)
      .expect(200);
    expect(panel.body).toMatchObject({
      allSessionsEnded: true,
      issuableFrom: null,
      scheduledMinutes: 30,
      eligibleCount: 1,
    });
    const rows = new Map(panel.body.participants.map((r: { userId: string }) => [r.userId, r]));
    expect(rows.get(stayed.id)).toMatchObject({
      attendancePercent: 100,
      attendedMinutes: 30,
      eligible: true,
      certified: false,
      name: stayed.name,
    });
    expect(rows.get(brief.id)).toMatchObject({ eligible: false, reason: 'BELOW_THRESHOLD', attendedMinutes: 10 });
    expect(rows.has(trainer.id)).toBe(false);

    const issued = await request(sut.url)
      .post(`/api/courses/${course.id}/certificates/issue`)
      .set(admin.auth)
      .expect(202);
    expect(issued.body.enqueued).toBe(1);
    expect(issued.body.notEligible).toEqual([
      expect.objectContaining({
        userId: brief.id,
        name: brief.name,
        reason: 'BELOW_THRESHOLD',
        attendedMinutes: 10,
        scheduledMinutes: 30,
      }),
    ]);

    // The attendance list counts against the time held and leaves the trainer out.
    const list = await request(sut.url).get(`/api/sessions/${session.id}/attendance`).set(trainer.auth).expect(200);
    expect(list.body.heldUntil).toBe(endedAt.toISOString());
    expect(list.body.rows.map((r: { userId: string }) => r.userId).sort()).toEqual([stayed.id, brief.id].sort());
    expect(list.body.rows.find((r: { userId: string }) => r.userId === stayed.id)).toMatchObject({
      attendedMinutes: 30,
      scheduledMinutes: 30,
      percent: 100,
    });
  });

  it('when nobody qualifies the panel lists each participant with attendance and reason; an interval nobody closed never counts', async () => {
    const course = await createCourse(sut.app, { status: 'ongoing', trainerIds: [trainer.id] });
    const start = new Date(Math.floor((Date.now() - 3 * HOUR) / MIN) * MIN);
    const session = await createSession(sut.app, course.id, start, 60);
    const [open, absent] = [await createUser(sut.app, 'participant'), await createUser(sut.app, 'participant')];
    for (const p of [open, absent]) await enrolDirect(sut.app, course.id, p.id);
    await attend('join', session.id, open.id, start); // never left: the live node died

    const panel = await request(sut.url)
      .get(`/api/courses/${course.id}/certificates/eligibility`)
      .set(admin.auth)
      .expect(200);
    expect(panel.body).toMatchObject({ allSessionsEnded: true, eligibleCount: 0 });
    expect(panel.body.participants).toHaveLength(2);
    for (const row of panel.body.participants)
      expect(row).toMatchObject({ eligible: false, reason: 'BELOW_THRESHOLD', attendancePercent: 0 });
    const issued = await request(sut.url)
      .post(`/api/courses/${course.id}/certificates/issue`)
      .set(admin.auth)
      .expect(202);
    expect(issued.body.enqueued).toBe(0);
    expect(issued.body.notEligible).toHaveLength(2);
    const view = await request(sut.url).get(`/api/courses/${course.id}/attendance`).set(admin.auth).expect(200);
    expect(view.body.rows.every((r: { meetsThreshold: boolean }) => !r.meetsThreshold)).toBe(true);
  });

  it('the eligibility panel is admin only', async () => {
    const course = await createCourse(sut.app, { trainerIds: [trainer.id] });
    const p = await createUser(sut.app, 'participant');
    await request(sut.url).get(`/api/courses/${course.id}/certificates/eligibility`).expect(401);
    await request(sut.url).get(`/api/courses/${course.id}/certificates/eligibility`).set(trainer.auth).expect(403);
    await request(sut.url).get(`/api/courses/${course.id}/certificates/eligibility`).set(p.auth).expect(403);
    await request(sut.url)
      .get(`/api/courses/${new Types.ObjectId().toHexString()}/certificates/eligibility`)
      .set(admin.auth)
      .expect(404);
  });
});
