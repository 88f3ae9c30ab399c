import request from 'supertest';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { NOTIFICATION_JOBS, QUEUES, reminderJobId } from '@balai/queue';
import { RunningApp, startApiApp } from '../../support/api-app';
import { createCourse, createSession, createUser, enrolDirect, inDays, TestUser } from '../../support/factories';

jest.setTimeout(90_000);

describe('courses and sessions API', () => {
  let sut: RunningApp;
  let admin: TestUser;
  let trainer: TestUser;
  let otherTrainer: TestUser;
  let participant: TestUser;
  beforeAll(async () => {
    sut = await startApiApp();
    admin = await createUser(sut.app, 'admin');
    trainer = await createUser(sut.app, 'trainer');
    otherTrainer = await createUser(sut.app, 'trainer');
    participant = await createUser(sut.app, 'participant');
  });
  afterAll(() => sut.close());

  const courseBody = (overrides: Record<string, unknown> = {}) => ({
    code: `PKM-${Math.random().toString(36).slice(2, 8)}`,
    title: 'Pemasaran Digital untuk IKM',
    category: 'Pemasaran',
    type: 'pelatihan',
    capacity: 20,
    registrationOpensAt: '2026-01-01T08:00:00+07:00',
    registrationClosesAt: '2030-01-01T08:00:00+07:00',
    lessonHours: 16,
    trainerIds: [trainer.id],
    ...overrides,
  });

  describe('create and role matrix', () => {
    it('admin creates a draft course; trainer, participant and anonymous cannot', async () => {
      await request(sut.url).post('/api/courses').send(courseBody()).expect(401);
      await request(sut.url).post('/api/courses').set(trainer.auth).send(courseBody()).expect(403);
      await request(sut.url).post('/api/courses').set(participant.auth).send(courseBody()).expect(403);
      const res = await request(sut.url).post('/api/courses').set(admin.auth).send(courseBody()).expect(201);
      expect(res.body).toMatchObject({ status: 'draft', capacity: 20, seatsLeft: 20, trainers: [{ id: trainer.id }] });
      expect(res.body.registrationOpensAt).toBe('2026-01-01T01:00:00.000Z');
      expect(res.body.registrationOpensAtLocal).toBe('2026-01-01T08:00:00.000+07:00');
    });

    it('rejects bad input with 4xx', async () => {
      const bad = [
        courseBody({ type: 'seminar' }),
        courseBody({ capacity: 'ten' }),
        courseBody({ capacity: 0 }),
        courseBody({ registrationOpensAt: '2026-13-45T99:00:00+07:00' }),
        courseBody({ registrationOpensAt: '2026-01-01T08:00:00' }),
        courseBody({ registrationOpensAt: '9999-01-01T08:00:00Z' }),
        courseBody({ trainerIds: ['nope'] }),
        courseBody({ extra: true }),
        courseBody({ registrationOpensAt: '2031-01-01T08:00:00+07:00' }),
        courseBody({ trainerIds: [participant.id] }),
      ];
      for (const body of bad) {
        const res = await request(sut.url).post('/api/courses').set(admin.auth).send(body);
        expect([400, 422]).toContain(res.status);
        expect(res.body.statusCode).toBe(res.status);
      }
    });

    it('rejects a duplicate code with 409', async () => {
      const body = courseBody();
      await request(sut.url).post('/api/courses').set(admin.auth).send(body).expect(201);
      const res = await request(sut.url).post('/api/courses').set(admin.auth).send(body).expect(409);
      expect(res.body.error).toBe('COURSE_CODE_TAKEN');
    });
  });

  describe('lifecycle', () => {
    it('follows the transitions and refuses the others with 409', async () => {
      const created = (await request(sut.url).post('/api/courses').set(admin.auth).send(courseBody()).expect(201)).body;
      const status = (s: string) =>
        request(sut.url).post(`/api/courses/${created.id}/status`).set(admin.auth).send({ status: s });
      expect((await status('published').expect(409)).body.error).toBe('NO_SESSIONS');
      await request(sut.url)
        .post(`/api/courses/${created.id}/sessions`)
        .set(admin.auth)
        .send({ title: 'Sesi 1', startsAt: '2029-03-01T09:00:00+07:00', endsAt: '2029-03-01T12:00:00+07:00' })
        .expect(201);
      await status('completed').expect(409);
      await status('published').expect(200);
      await status('ongoing').expect(200);
      const done = await status('completed').expect(200);
      expect(done.body.status).toBe('completed');
      expect((await status('draft').expect(409)).body.error).toBe('INVALID_STATUS_TRANSITION');
      await status('archived').expect(400);
      await request(sut.url)
        .post(`/api/courses/${created.id}/status`)
        .set(trainer.auth)
        .send({ status: 'cancelled' })
        .expect(403);
    });

    it('cancelling a course cancels its scheduled sessions, removes their reminders and queues notices', async () => {
      const queue = sut.app.get<Queue>(getQueueToken(QUEUES.notifications));
      const course = await createCourse(sut.app, { status: 'published' });
      const start = inDays(15, 2);
      const s = await request(sut.url)
        .post(`/api/courses/${course.id}/sessions`)
        .set(admin.auth)
        .send({
          title: 'Sesi batal',
          startsAt: start.toISOString(),
          endsAt: new Date(start.getTime() + 3600_000).toISOString(),
        })
        .expect(201);
      expect(await queue.getJob(reminderJobId(s.body.id, 1440))).toBeDefined();
      await request(sut.url)
        .post(`/api/courses/${course.id}/status`)
        .set(admin.auth)
        .send({ status: 'cancelled' })
        .expect(200);
      const sessions = await request(sut.url).get(`/api/courses/${course.id}/sessions`).set(admin.auth).expect(200);
      expect(sessions.body.map((x: { status: string }) => x.status)).toEqual(['cancelled']);
      expect(await queue.getJob(reminderJobId(s.body.id, 1440))).toBeUndefined();
      const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
      expect(
        jobs.find((j) => j.name === NOTIFICATION_JOBS.sessionCancelled && j.data.sessionId === s.body.id)?.data,
      ).toMatchObject({ reason: 'course-cancelled' });
    });

    it('deletes only drafts', async () => {
      const draft = await createCourse(sut.app, { status: 'draft' });
      const published = await createCourse(sut.app, { status: 'published' });
      await request(sut.url).delete(`/api/courses/${published.id}`).set(admin.auth).expect(409);
      await request(sut.url).delete(`/api/courses/${draft.id}`).set(participant.auth).expect(403);
      await request(sut.url).delete(`/api/courses/${draft.id}`).set(admin.auth).expect(204);
      await request(sut.url).get(`/api/courses/${draft.id}`).set(admin.auth).expect(404);
    });

    it('cannot lower capacity below seats taken', async () => {
      const course = await createCourse(sut.app, { capacity: 2 });
      await enrolDirect(sut.app, course.id, participant.id);
      await enrolDirect(sut.app, course.id, (await createUser(sut.app, 'participant')).id);
      const res = await request(sut.url)
        .patch(`/api/courses/${course.id}`)
        .set(admin.auth)
        .send({ capacity: 1 })
        .expect(409);
      expect(res.body.error).toBe('CAPACITY_BELOW_SEATS');
      await request(sut.url).patch(`/api/courses/${course.id}`).set(admin.auth).send({ capacity: 5 }).expect(200);
    });
  });

  describe('lists, filters and visibility', () => {
    it('catalogue is public and shows only published/ongoing courses, filtered by text, type and dates', async () => {
      const tag = `Zeta${Date.now()}`;
      const pub = await createCourse(sut.app, { status: 'published', title: `${tag} Batik`, type: 'sosialisasi' });
      await createCourse(sut.app, { status: 'draft', title: `${tag} Draft` });
      await createCourse(sut.app, { status: 'ongoing', title: `${tag} Kopi` });
      await createSession(sut.app, pub.id, new Date('2029-05-10T02:00:00Z'));
      await request(sut.url)
        .post(`/api/courses/${pub.id}/sessions`)
        .set(admin.auth)
        .send({ title: 'Sesi 2', startsAt: '2029-05-11T09:00:00+07:00', endsAt: '2029-05-11T11:00:00+07:00' })
        .expect(201);
      const all = await request(sut.url).get(`/api/catalogue?q=${tag.toLowerCase()}`).expect(200);
      expect(all.body.total).toBe(2);
      expect(all.body.items.map((c: { status: string }) => c.status).sort()).toEqual(['ongoing', 'published']);
      const typed = await request(sut.url).get(`/api/catalogue?q=${tag}&type=sosialisasi`).expect(200);
      expect(typed.body.items.map((c: { id: string }) => c.id)).toEqual([pub.id]);
      const dated = await request(sut.url)
        .get(`/api/catalogue?q=${tag}&from=2029-05-11T00:00:00%2B07:00&to=2029-05-12T00:00:00%2B07:00`)
        .expect(200);
      expect(dated.body.items.map((c: { id: string }) => c.id)).toEqual([pub.id]);
      const none = await request(sut.url).get(`/api/catalogue?q=${tag}&from=2030-01-01T00:00:00Z`).expect(200);
      expect(none.body.total).toBe(0);
      await request(sut.url)
        .get('/api/catalogue?status=draft')
        .expect(400)
        .catch(() => undefined);
      await request(sut.url).get(`/api/catalogue/${pub.id}`).expect(200);
      const sessions = await request(sut.url).get(`/api/catalogue/${pub.id}/sessions`).expect(200);
      expect(sessions.body).toHaveLength(2);
    });

    it('paginates with a stable order', async () => {
      const tag = `Page${Date.now()}`;
      for (let i = 0; i < 5; i++) await createCourse(sut.app, { status: 'published', title: `${tag} ${i}` });
      const seen: string[] = [];
      for (let page = 1; page <= 3; page++) {
        const res = await request(sut.url).get(`/api/catalogue?q=${tag}&limit=2&page=${page}`).expect(200);
        expect(res.body).toMatchObject({ total: 5, page, limit: 2 });
        seen.push(...res.body.items.map((c: { id: string }) => c.id));
      }
      expect(new Set(seen).size).toBe(5);
      await request(sut.url).get('/api/catalogue?limit=1000').expect(400);
      await request(sut.url).get('/api/catalogue?page=abc').expect(400);
      await request(sut.url).get('/api/catalogue?from=yesterday').expect(400);
      await request(sut.url).get('/api/catalogue?type=webinar').expect(400);
    });

    it('trainers list only their courses; participants cannot list; draft detail is hidden from outsiders', async () => {
      const mine = await createCourse(sut.app, { status: 'draft', trainerIds: [otherTrainer.id] });
      const res = await request(sut.url).get('/api/courses?limit=100').set(otherTrainer.auth).expect(200);
      expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([mine.id]);
      await request(sut.url).get('/api/courses').set(participant.auth).expect(403);
      await request(sut.url).get('/api/courses').expect(401);
      await request(sut.url).get(`/api/courses/${mine.id}`).set(participant.auth).expect(403);
      await request(sut.url).get(`/api/courses/${mine.id}`).set(trainer.auth).expect(403);
      await request(sut.url).get(`/api/courses/${mine.id}`).set(otherTrainer.auth).expect(200);
      await request(sut.url).get(`/api/catalogue/${mine.id}`).expect(404);
      await request(sut.url).get('/api/courses/123').set(admin.auth).expect(400);
      await request(sut.url).get('/api/courses/ffffffffffffffffffffffff').set(admin.auth).expect(404);
    });
  });

  describe('sessions', () => {
    it('stores UTC from Asia/Jakarta input and shows both', async () => {
      const course = await createCourse(sut.app, { status: 'draft' });
      const res = await request(sut.url)
        .post(`/api/courses/${course.id}/sessions`)
        .set(admin.auth)
        .send({ title: 'Sesi 1', startsAt: '2029-06-01T09:00:00+07:00', endsAt: '2029-06-01T12:00:00+07:00' })
        .expect(201);
      expect(res.body.startsAt).toBe('2029-06-01T02:00:00.000Z');
      expect(res.body.startsAtLocal).toBe('2029-06-01T09:00:00.000+07:00');
      const course2 = await request(sut.url).get(`/api/courses/${course.id}`).set(admin.auth).expect(200);
      expect(course2.body.startsAt).toBe('2029-06-01T02:00:00.000Z');
    });

    it('refuses a trainer in two overlapping sessions with 409, allows back-to-back', async () => {
      const t = await createUser(sut.app, 'trainer');
      const a = await createCourse(sut.app, { status: 'draft', trainerIds: [t.id] });
      const b = await createCourse(sut.app, { status: 'draft', trainerIds: [t.id] });
      await request(sut.url)
        .post(`/api/courses/${a.id}/sessions`)
        .set(admin.auth)
        .send({ title: 'A1', startsAt: '2029-07-01T09:00:00+07:00', endsAt: '2029-07-01T12:00:00+07:00' })
        .expect(201);
      const clash = await request(sut.url)
        .post(`/api/courses/${b.id}/sessions`)
        .set(admin.auth)
        .send({ title: 'B1', startsAt: '2029-07-01T11:00:00+07:00', endsAt: '2029-07-01T13:00:00+07:00' })
        .expect(409);
      expect(clash.body.error).toBe('TRAINER_OVERLAP');
      await request(sut.url)
        .post(`/api/courses/${b.id}/sessions`)
        .set(admin.auth)
        .send({ title: 'B1', startsAt: '2029-07-01T12:00:00+07:00', endsAt: '2029-07-01T14:00:00+07:00' })
        .expect(201);
    });

    it('concurrent bookings of one trainer cannot both win', async () => {
      const t = await createUser(sut.app, 'trainer');
      const courses = await Promise.all(
        [0, 1, 2, 3].map(() => createCourse(sut.app, { status: 'draft', trainerIds: [t.id] })),
      );
      const results = await Promise.all(
        courses.map((c) =>
          request(sut.url)
            .post(`/api/courses/${c.id}/sessions`)
            .set(admin.auth)
            .send({ title: 'Sesi X', startsAt: '2029-08-01T09:00:00+07:00', endsAt: '2029-08-01T12:00:00+07:00' }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    });

    it('rejects bad session times', async () => {
      const course = await createCourse(sut.app, { status: 'draft' });
      const post = (body: Record<string, unknown>) =>
        request(sut.url).post(`/api/courses/${course.id}/sessions`).set(admin.auth).send(body);
      await post({ title: 'X', startsAt: '2029-06-01T12:00:00+07:00', endsAt: '2029-06-01T09:00:00+07:00' }).expect(
        400,
      );
      await post({ title: 'X', startsAt: '2029-06-01T09:00:00+07:00', endsAt: '2029-06-03T09:00:00+07:00' }).expect(
        400,
      );
      await post({ title: 'X', startsAt: 'tomorrow', endsAt: '2029-06-01T09:00:00+07:00' }).expect(400);
      await post({ title: 'X', startsAt: 12, endsAt: '2029-06-01T09:00:00+07:00' }).expect(400);
      await request(sut.url)
        .post(`/api/courses/${course.id}/sessions`)
        .set(trainer.auth)
        .send({ title: 'X', startsAt: '2029-06-01T09:00:00+07:00', endsAt: '2029-06-01T10:00:00+07:00' })
        .expect(403);
    });

    it('queues reminders; rescheduling moves them and notifies; cancelling removes them and notifies', async () => {
      const queue = sut.app.get<Queue>(getQueueToken(QUEUES.notifications));
      const course = await createCourse(sut.app, { status: 'published' });
      await enrolDirect(sut.app, course.id, participant.id);
      const startsAt = inDays(10, 2);
      const created = await request(sut.url)
        .post(`/api/courses/${course.id}/sessions`)
        .set(admin.auth)
        .send({
          title: 'Sesi S',
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 7200_000).toISOString(),
        })
        .expect(201);
      const id = created.body.id as string;
      const day = await queue.getJob(reminderJobId(id, 1440));
      const hour = await queue.getJob(reminderJobId(id, 60));
      expect(day?.data).toEqual({ sessionId: id, leadMinutes: 1440 });
      expect(hour).toBeDefined();
      const dayDelayBefore = day!.timestamp + (day!.opts.delay ?? 0);

      const moved = new Date(startsAt.getTime() + 2 * 86_400_000);
      await request(sut.url)
        .patch(`/api/sessions/${id}`)
        .set(admin.auth)
        .send({
          startsAt: moved.toISOString(),
          endsAt: new Date(moved.getTime() + 7200_000).toISOString(),
          reason: 'Narasumber berhalangan',
        })
        .expect(200);
      const dayAfter = await queue.getJob(reminderJobId(id, 1440));
      expect(dayAfter!.timestamp + (dayAfter!.opts.delay ?? 0) - dayDelayBefore).toBeGreaterThan(86_400_000 * 1.9);
      const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
      const notice = jobs.find((j) => j.name === NOTIFICATION_JOBS.sessionRescheduled && j.data.sessionId === id);
      expect(notice?.data).toMatchObject({
        courseId: course.id,
        previousStartsAt: startsAt.toISOString(),
        reason: 'Narasumber berhalangan',
      });

      await request(sut.url).post(`/api/sessions/${id}/cancel`).set(participant.auth).send({}).expect(403);
      const cancelled = await request(sut.url)
        .post(`/api/sessions/${id}/cancel`)
        .set(admin.auth)
        .send({ reason: 'Banjir' })
        .expect(200);
      expect(cancelled.body.status).toBe('cancelled');
      expect(await queue.getJob(reminderJobId(id, 1440))).toBeUndefined();
      expect(await queue.getJob(reminderJobId(id, 60))).toBeUndefined();
      const all = await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
      expect(
        all.find((j) => j.name === NOTIFICATION_JOBS.sessionCancelled && j.data.sessionId === id)?.data,
      ).toMatchObject({ reason: 'Banjir' });
      await request(sut.url).post(`/api/sessions/${id}/cancel`).set(admin.auth).send({}).expect(409);
    });

    it('session visibility: members yes, outsiders no', async () => {
      const course = await createCourse(sut.app, { status: 'draft', trainerIds: [trainer.id] });
      const s = await createSession(sut.app, course.id, inDays(20));
      const outsider = await createUser(sut.app, 'participant');
      await request(sut.url).get(`/api/sessions/${s.id}`).set(trainer.auth).expect(200);
      await request(sut.url).get(`/api/sessions/${s.id}`).set(outsider.auth).expect(403);
      await request(sut.url).get(`/api/sessions/${s.id}`).expect(401);
      await enrolDirect(sut.app, course.id, outsider.id);
      await request(sut.url).get(`/api/sessions/${s.id}`).set(outsider.auth).expect(200);
      await request(sut.url).get(`/api/courses/${course.id}/sessions`).set(outsider.auth).expect(200);
    });
  });
});
