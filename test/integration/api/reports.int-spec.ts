import request from 'supertest';
import { Types } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { Certificate } from '@balai/database';
import { ATTENDANCE_EVENTS_PATH, INTERNAL_TOKEN_HEADER } from '@balai/domain';
import { RunningApp, startApiApp } from '../../support/api-app';
import { createCourse, createSession, createUser, enrolDirect, model, TestUser } from '../../support/factories';

const TOKEN = 'balai-dev-only-internal-token-change-me';
const MIN = 60_000;

jest.setTimeout(90_000);

describe('reports API', () => {
  let sut: RunningApp;
  let admin: TestUser;
  let courseId: string;
  let people: TestUser[];
  beforeAll(async () => {
    sut = await startApiApp();
    admin = await createUser(sut.app, 'admin');
    courseId = (await createCourse(sut.app, { status: 'ongoing', minAttendancePercent: 80 })).id;
    const start = new Date(Math.floor((Date.now() - 180 * MIN) / MIN) * MIN);
    const session = await createSession(sut.app, courseId, start, 60);
    people = [
      await createUser(sut.app, 'participant', { sector: 'craft', kecamatan: 'Babelan' }),
      await createUser(sut.app, 'participant', { sector: 'craft', kecamatan: 'Setu' }),
      await createUser(sut.app, 'participant', { sector: 'printing', kecamatan: 'Setu' }),
    ];
    for (const p of people) await enrolDirect(sut.app, courseId, p.id);
    const send = (type: 'join' | 'leave', userId: string, minutes: number) =>
      request(sut.url)
        .post(ATTENDANCE_EVENTS_PATH)
        .set(INTERNAL_TOKEN_HEADER, TOKEN)
        .send({
          eventId: randomUUID(),
          type,
          sessionId: session.id,
          userId,
          at: new Date(start.getTime() + minutes * MIN).toISOString(),
        })
        .expect(200);
    await send('join', people[0]!.id, 0);
    await send('leave', people[0]!.id, 60); // 100%
    await send('join', people[1]!.id, 0);
    await send('leave', people[1]!.id, 30); // 50%
    await model<Certificate>(sut.app, Certificate.name).create({
      courseId: new Types.ObjectId(courseId),
      userId: new Types.ObjectId(people[0]!.id),
      number: `0001/${randomUUID()}`,
      verificationCode: randomUUID(),
      issuedAt: new Date(),
      pdfSha256: 'x',
      pdfFileId: new Types.ObjectId(),
      participantName: 'A',
      courseTitle: 'T',
    });
  });
  afterAll(() => sut.close());

  it('per course: enrolled, attended at least once, met the threshold, certified', async () => {
    const res = await request(sut.url).get(`/api/reports/courses/${courseId}`).set(admin.auth).expect(200);
    expect(res.body).toMatchObject({ enrolled: 3, attendedAtLeastOnce: 2, metThreshold: 1, certified: 1 });
    const csv = await request(sut.url).get(`/api/reports/courses/${courseId}/csv`).set(admin.auth).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.trim().split('\r\n')).toHaveLength(4);
    const list = await request(sut.url).get('/api/reports/courses').set(admin.auth).expect(200);
    expect(list.body.find((c: { courseId: string }) => c.courseId === courseId)).toMatchObject({
      enrolled: 3,
      certified: 1,
    });
    await request(sut.url).get('/api/reports/courses.csv').set(admin.auth).expect(200);
  });

  it('by sector and by kecamatan, with CSV', async () => {
    const bySector = await request(sut.url)
      .get('/api/reports/participation?groupBy=sector')
      .set(admin.auth)
      .expect(200);
    const craft = bySector.body.rows.find((r: { group: string }) => r.group === 'craft');
    expect(craft).toMatchObject({
      label: 'Kerajinan',
      participants: 2,
      enrollments: 2,
      attendedAtLeastOnce: 2,
      metThreshold: 1,
      certified: 1,
    });
    expect(bySector.body.rows.find((r: { group: string }) => r.group === 'printing')).toMatchObject({
      participants: 1,
      attendedAtLeastOnce: 0,
    });
    const byKec = await request(sut.url)
      .get('/api/reports/participation?groupBy=kecamatan')
      .set(admin.auth)
      .expect(200);
    expect(byKec.body.rows).toHaveLength(23);
    expect(byKec.body.rows.find((r: { group: string }) => r.group === 'Setu')).toMatchObject({
      participants: 2,
      attendedAtLeastOnce: 1,
    });
    const csv = await request(sut.url)
      .get('/api/reports/participation.csv?groupBy=kecamatan')
      .set(admin.auth)
      .expect(200);
    expect(csv.text).toContain('Setu,Setu,2,2,1,0,0');
  });

  it('is admin only and validates its filters', async () => {
    const trainer = await createUser(sut.app, 'trainer');
    for (const path of [
      `/api/reports/courses/${courseId}`,
      '/api/reports/participation?groupBy=sector',
      '/api/reports/courses',
    ]) {
      await request(sut.url).get(path).expect(401);
      await request(sut.url).get(path).set(trainer.auth).expect(403);
      await request(sut.url).get(path).set(people[0]!.auth).expect(403);
    }
    await request(sut.url).get('/api/reports/participation?groupBy=village').set(admin.auth).expect(400);
    await request(sut.url).get('/api/reports/participation').set(admin.auth).expect(400);
    await request(sut.url)
      .get('/api/reports/courses?from=2030-01-01T00:00:00Z&to=2029-01-01T00:00:00Z')
      .set(admin.auth)
      .expect(400);
    await request(sut.url).get('/api/reports/courses/xyz').set(admin.auth).expect(400);
  });
});
