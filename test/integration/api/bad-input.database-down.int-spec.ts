/**
 * Issue 10, "Database restarted": while the database is unreachable, requests answer 503 with
 * Retry-After in the error shape quickly (they used to hang 5 s and answer 500), and the API
 * serves again by itself once the database is back. Uses a private FerretDB it kills.
 */
import request from 'supertest';
import type { RunningApp } from '../../support/api-app';
import { createCourse, createUser, TestUser } from '../../support/factories';
import { waitFor } from '../../support/wait';
import { PrivateFerretDb } from './support/private-ferretdb';

jest.setTimeout(120_000);

describe('database unreachable', () => {
  let db: PrivateFerretDb;
  let sut: RunningApp;
  let admin: TestUser;
  let participant: TestUser;
  let courseId: string;

  beforeAll(async () => {
    db = await PrivateFerretDb.start();
    process.env.MONGODB_URI = db.uri(`balai_dbdown_${process.pid}`);
    // The config module reads the environment when the app module is first imported: import it now.
    const { startApiApp } = await import('../../support/api-app');
    sut = await startApiApp();
    admin = await createUser(sut.app, 'admin');
    participant = await createUser(sut.app, 'participant');
    courseId = (await createCourse(sut.app, { status: 'published' })).id;
  });
  afterAll(async () => {
    await sut?.close();
    await db?.destroy();
  });

  it('answers 503 with Retry-After in the error shape, fast, and recovers when the database is back', async () => {
    await request(sut.url).get(`/api/courses/${courseId}`).set(admin.auth).expect(200);
    await db.kill();

    const probes: Array<[string, () => request.Test]> = [
      ['GET /api/me', () => request(sut.url).get('/api/me').set(participant.auth)],
      ['GET /api/courses/:id', () => request(sut.url).get(`/api/courses/${courseId}`).set(admin.auth)],
      ['GET /api/users', () => request(sut.url).get('/api/users?q=x').set(admin.auth)],
      ['PATCH /api/me', () => request(sut.url).patch('/api/me').set(participant.auth).send({ locale: 'en' })],
      [
        'POST /api/courses/:id/enrollments',
        () => request(sut.url).post(`/api/courses/${courseId}/enrollments`).set(participant.auth),
      ],
      [
        'POST /api/auth/login',
        () => request(sut.url).post('/api/auth/login').send({ email: admin.email, password: 'Rahasia123' }),
      ],
    ];
    const timings: Record<string, number> = {};
    for (const [what, send] of probes) {
      const started = Date.now();
      const res = await send();
      timings[what] = Date.now() - started;
      expect([what, res.status]).toEqual([what, 503]);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toMatchObject({
        statusCode: 503,
        error: 'SERVICE_UNAVAILABLE',
        message: expect.any(String),
        errorId: expect.any(String),
      });
      expect(JSON.stringify(res.body)).not.toMatch(/Mongo|ECONNREFUSED|127\.0\.0\.1|selection/i);
    }
    process.stdout.write(`[database down] time to 503 per request (ms): ${JSON.stringify(timings)}\n`);
    // The driver gives up after 300 ms of server selection (a route may make two queries); the bound leaves room for a loaded machine
    // and is far below the 5 s the requests used to hang.
    for (const [what, ms] of Object.entries(timings)) expect([what, ms < 2_500]).toEqual([what, true]);

    await db.start();
    const backAt = Date.now();
    await waitFor(
      async () => {
        const r = await request(sut.url).get('/api/me').set(participant.auth);
        if (process.env.DEBUG_DBDOWN)
          process.stdout.write(`${Date.now() - backAt} ${r.status} ${JSON.stringify(r.body).slice(0, 200)}\n`);
        return r.status === 200;
      },
      30_000,
      'the API to serve again',
    );
    process.stdout.write(`[database down] serving again ${Date.now() - backAt} ms after the database restarted\n`);
    await request(sut.url).get(`/api/courses/${courseId}`).set(admin.auth).expect(200);
    await request(sut.url).patch('/api/me').set(participant.auth).send({ locale: 'en' }).expect(200);
  });
});
