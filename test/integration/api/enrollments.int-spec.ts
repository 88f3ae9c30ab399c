import request from 'supertest';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { NOTIFICATION_JOBS, QUEUES } from '@balai/queue';
import { RunningApp, startApiApp } from '../../support/api-app';
import { createCourse, createUser, TestUser } from '../../support/factories';

jest.setTimeout(90_000);

describe('enrolment API', () => {
  let sut: RunningApp;
  let admin: TestUser;
  let trainer: TestUser;
  beforeAll(async () => {
    sut = await startApiApp();
    admin = await createUser(sut.app, 'admin');
    trainer = await createUser(sut.app, 'trainer');
  });
  afterAll(() => sut.close());

  const enrol = (courseId: string, user: TestUser) =>
    request(sut.url).post(`/api/courses/${courseId}/enrollments`).set(user.auth);

  it('50 simultaneous requests for 10 seats: exactly 10 enrolled, 40 waitlisted, in seq order', async () => {
    const course = await createCourse(sut.app, { capacity: 10, trainerIds: [trainer.id] });
    const people = await Promise.all(Array.from({ length: 50 }, () => createUser(sut.app, 'participant')));
    const results = await Promise.all(people.map((p) => enrol(course.id, p)));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const enrolled = results.filter((r) => r.body.status === 'enrolled').map((r) => r.body.seq as number);
    const waitlisted = results.filter((r) => r.body.status === 'waitlisted').map((r) => r.body.seq as number);
    expect(enrolled).toHaveLength(10);
    expect(waitlisted).toHaveLength(40);
    expect(Math.max(...enrolled)).toBeLessThan(Math.min(...waitlisted));
    expect(new Set([...enrolled, ...waitlisted]).size).toBe(50);

    const roster = await request(sut.url).get(`/api/courses/${course.id}/roster`).set(admin.auth).expect(200);
    expect(roster.body.seatsTaken).toBe(10);
    expect(roster.body.enrolled).toHaveLength(10);
    const seqs = roster.body.waitlist.map((w: { seq: number }) => w.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  }, 30_000);

  it('cancelling frees the seat and promotes the first on the waitlist, with a notice', async () => {
    const course = await createCourse(sut.app, { capacity: 2 });
    const [a, b, c, d] = await Promise.all([0, 1, 2, 3].map(() => createUser(sut.app, 'participant')));
    for (const p of [a!, b!, c!, d!]) await enrol(course.id, p).expect(201);
    const mine = await request(sut.url).get(`/api/courses/${course.id}/enrollments/me`).set(d!.auth).expect(200);
    expect(mine.body).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });

    await request(sut.url).delete(`/api/courses/${course.id}/enrollments/me`).set(a!.auth).expect(200);
    const cNow = await request(sut.url).get(`/api/courses/${course.id}/enrollments/me`).set(c!.auth).expect(200);
    expect(cNow.body.status).toBe('enrolled');
    const dNow = await request(sut.url).get(`/api/courses/${course.id}/enrollments/me`).set(d!.auth).expect(200);
    expect(dNow.body).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    const roster = await request(sut.url).get(`/api/courses/${course.id}/roster`).set(admin.auth).expect(200);
    expect(roster.body.seatsTaken).toBe(2);

    const queue = sut.app.get<Queue>(getQueueToken(QUEUES.notifications));
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    expect(
      jobs.some(
        (j) =>
          j.name === NOTIFICATION_JOBS.waitlistPromoted && j.data.userId === c!.id && j.data.courseId === course.id,
      ),
    ).toBe(true);

    // A waitlisted person leaving takes no seat away.
    await request(sut.url).delete(`/api/courses/${course.id}/enrollments/me`).set(d!.auth).expect(200);
    expect((await request(sut.url).get(`/api/courses/${course.id}/roster`).set(admin.auth)).body.seatsTaken).toBe(2);
    // Cancelling twice is a 404, and re-enrolling after cancelling works.
    await request(sut.url).delete(`/api/courses/${course.id}/enrollments/me`).set(a!.auth).expect(404);
    const again = await enrol(course.id, a!).expect(201);
    expect(again.body.status).toBe('waitlisted');
  });

  it('concurrent cancellations promote distinct people and keep the count exact', async () => {
    const course = await createCourse(sut.app, { capacity: 5 });
    const people = await Promise.all(Array.from({ length: 12 }, () => createUser(sut.app, 'participant')));
    for (const p of people) await enrol(course.id, p).expect(201);
    await Promise.all(
      people
        .slice(0, 5)
        .map((p) => request(sut.url).delete(`/api/courses/${course.id}/enrollments/me`).set(p.auth).expect(200)),
    );
    const roster = await request(sut.url).get(`/api/courses/${course.id}/roster`).set(admin.auth).expect(200);
    expect(roster.body.seatsTaken).toBe(5);
    expect(roster.body.enrolled.map((e: { userId: string }) => e.userId).sort()).toEqual(
      people
        .slice(5, 10)
        .map((p) => p.id)
        .sort(),
    );
    expect(roster.body.waitlist).toHaveLength(2);
  });

  it('raising capacity promotes the waitlist', async () => {
    const course = await createCourse(sut.app, { capacity: 1 });
    const people = await Promise.all([0, 1, 2].map(() => createUser(sut.app, 'participant')));
    for (const p of people) await enrol(course.id, p).expect(201);
    await request(sut.url).patch(`/api/courses/${course.id}`).set(admin.auth).send({ capacity: 3 }).expect(200);
    const roster = await request(sut.url).get(`/api/courses/${course.id}/roster`).set(admin.auth).expect(200);
    expect(roster.body.enrolled).toHaveLength(3);
    expect(roster.body.waitlist).toHaveLength(0);
  });

  it('refuses enrolment outside the window, in a draft, twice, and for non-participants', async () => {
    const p = await createUser(sut.app, 'participant');
    const closed = await createCourse(sut.app, {
      registrationOpensAt: new Date(Date.now() - 10 * 86_400_000),
      registrationClosesAt: new Date(Date.now() - 86_400_000),
    });
    expect((await enrol(closed.id, p).expect(409)).body.error).toBe('REGISTRATION_CLOSED');
    const future = await createCourse(sut.app, {
      registrationOpensAt: new Date(Date.now() + 86_400_000),
      registrationClosesAt: new Date(Date.now() + 5 * 86_400_000),
    });
    await enrol(future.id, p).expect(409);
    const draft = await createCourse(sut.app, { status: 'draft' });
    await enrol(draft.id, p).expect(409);
    const open = await createCourse(sut.app);
    await enrol(open.id, p).expect(201);
    expect((await enrol(open.id, p).expect(409)).body.error).toBe('ALREADY_ENROLLED');
    await enrol(open.id, trainer).expect(403);
    await enrol(open.id, admin).expect(403);
    await request(sut.url).post(`/api/courses/${open.id}/enrollments`).expect(401);
    await request(sut.url).post('/api/courses/xyz/enrollments').set(p.auth).expect(400);
    await request(sut.url).post('/api/courses/ffffffffffffffffffffffff/enrollments').set(p.auth).expect(404);
  });

  it('the same participant enrolling twice at once gets one enrolment', async () => {
    const course = await createCourse(sut.app, { capacity: 3 });
    const p = await createUser(sut.app, 'participant');
    const results = await Promise.all([0, 1, 2, 3].map(() => enrol(course.id, p)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(3);
    const roster = await request(sut.url).get(`/api/courses/${course.id}/roster`).set(admin.auth).expect(200);
    expect(roster.body.seatsTaken).toBe(1);
  });

  it('admin enrols and removes anyone; roster is for admin and the course trainers only', async () => {
    const course = await createCourse(sut.app, { capacity: 1, status: 'draft', trainerIds: [trainer.id] });
    const [p, q] = await Promise.all([createUser(sut.app, 'participant'), createUser(sut.app, 'participant')]);
    await request(sut.url)
      .post(`/api/courses/${course.id}/roster`)
      .set(trainer.auth)
      .send({ userId: p.id })
      .expect(403);
    await request(sut.url).post(`/api/courses/${course.id}/roster`).set(p.auth).send({ userId: p.id }).expect(403);
    await request(sut.url).post(`/api/courses/${course.id}/roster`).set(admin.auth).send({ userId: 'bad' }).expect(400);
    await request(sut.url)
      .post(`/api/courses/${course.id}/roster`)
      .set(admin.auth)
      .send({ userId: trainer.id })
      .expect(404);
    expect(
      (
        await request(sut.url)
          .post(`/api/courses/${course.id}/roster`)
          .set(admin.auth)
          .send({ userId: p.id })
          .expect(201)
      ).body.status,
    ).toBe('enrolled');
    expect(
      (
        await request(sut.url)
          .post(`/api/courses/${course.id}/roster`)
          .set(admin.auth)
          .send({ userId: q.id })
          .expect(201)
      ).body.status,
    ).toBe('waitlisted');

    await request(sut.url).get(`/api/courses/${course.id}/roster`).set(trainer.auth).expect(200);
    await request(sut.url).get(`/api/courses/${course.id}/roster`).set(p.auth).expect(403);
    const other = await createUser(sut.app, 'trainer');
    await request(sut.url).get(`/api/courses/${course.id}/roster`).set(other.auth).expect(403);
    await request(sut.url).get(`/api/courses/${course.id}/roster`).expect(401);

    await request(sut.url).delete(`/api/courses/${course.id}/roster/${p.id}`).set(trainer.auth).expect(403);
    expect(
      (await request(sut.url).delete(`/api/courses/${course.id}/roster/${p.id}`).set(admin.auth).expect(200)).body
        .status,
    ).toBe('removed');
    const roster = await request(sut.url).get(`/api/courses/${course.id}/roster`).set(admin.auth).expect(200);
    expect(roster.body.enrolled.map((e: { userId: string }) => e.userId)).toEqual([q.id]);
  });

  it('a participant sees only their own enrolments', async () => {
    const [p, q] = await Promise.all([createUser(sut.app, 'participant'), createUser(sut.app, 'participant')]);
    const course = await createCourse(sut.app);
    await enrol(course.id, p).expect(201);
    const mine = await request(sut.url).get('/api/me/enrollments').set(p.auth).expect(200);
    expect(mine.body).toHaveLength(1);
    expect(mine.body[0]).toMatchObject({ courseId: course.id, userId: p.id, status: 'enrolled' });
    expect((await request(sut.url).get('/api/me/enrollments').set(q.auth).expect(200)).body).toHaveLength(0);
    await request(sut.url).get(`/api/courses/${course.id}/enrollments/me`).set(q.auth).expect(404);
    await request(sut.url).get('/api/me/enrollments').set(admin.auth).expect(403);
  });
});
