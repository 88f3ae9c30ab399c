import request from 'supertest';
import { RunningApp, startApiApp } from '../../support/api-app';
import { createCourse, createSession, createUser, inDays } from '../../support/factories';

/**
 * What the web client's screens read (issue 9 rough edges): the next session
 * that is not over (not a past one), seats that reflect an enrolment on the
 * very next read, and whether the certificate signatory is still a placeholder.
 */
jest.setTimeout(90_000);

describe('course fields the web client shows', () => {
  let sut: RunningApp;
  beforeAll(async () => {
    sut = await startApiApp();
  });
  afterAll(() => sut.close());

  it('names the next session that is not over, in the catalogue and the detail, and null when all are over', async () => {
    const course = await createCourse(sut.app, { title: 'Sesi Berikutnya' });
    await createSession(sut.app, course.id, inDays(-2, 2));
    const upcoming = await createSession(sut.app, course.id, inDays(3, 2));
    await createSession(sut.app, course.id, inDays(5, 2));
    const list = await request(sut.url).get('/api/catalogue?q=Sesi%20Berikutnya').expect(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].nextSessionAt).toBe(upcoming.startsAt.toISOString());
    const detail = await request(sut.url).get(`/api/catalogue/${course.id}`).expect(200);
    expect(detail.body.nextSessionAt).toBe(upcoming.startsAt.toISOString());

    const over = await createCourse(sut.app, { title: 'Semua Sudah Lewat' });
    await createSession(sut.app, over.id, inDays(-3, 2));
    const past = await request(sut.url).get(`/api/catalogue/${over.id}`).expect(200);
    expect(past.body.nextSessionAt).toBeNull();
  });

  it('shows the seat taken by an enrolment on the next read of the course', async () => {
    const course = await createCourse(sut.app, { capacity: 3 });
    await createSession(sut.app, course.id, inDays(3, 2));
    const participant = await createUser(sut.app, 'participant');
    await request(sut.url).post(`/api/courses/${course.id}/enrollments`).set(participant.auth).expect(201);
    const after = await request(sut.url).get(`/api/courses/${course.id}`).set(participant.auth).expect(200);
    expect(after.body).toMatchObject({ capacity: 3, seatsTaken: 1, seatsLeft: 2 });
    await request(sut.url).delete(`/api/courses/${course.id}/enrollments/me`).set(participant.auth).expect(200);
    const cancelled = await request(sut.url).get(`/api/courses/${course.id}`).set(participant.auth).expect(200);
    expect(cancelled.body).toMatchObject({ seatsTaken: 0, seatsLeft: 3 });
  });

  it('tells an admin which signatory settings are still placeholders, and nobody else', async () => {
    const admin = await createUser(sut.app, 'admin');
    const trainer = await createUser(sut.app, 'trainer');
    const res = await request(sut.url).get('/api/certificates/settings').set(admin.auth).expect(200);
    // The test environment sets neither, like a fresh install.
    expect(res.body).toEqual({ placeholderSignatory: ['CERT_SIGNATORY_NAME', 'CERT_SIGNATORY_NIP'] });
    await request(sut.url).get('/api/certificates/settings').set(trainer.auth).expect(403);
    await request(sut.url).get('/api/certificates/settings').expect(401);
  });
});
