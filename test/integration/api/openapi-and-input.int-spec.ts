import request from 'supertest';
import { RunningApp, startApiApp } from '../../support/api-app';
import { createCourse, createSession, createUser, TestUser } from '../../support/factories';

jest.setTimeout(90_000);

interface Operation {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  responses: Record<string, unknown>;
}

const MINE = ['auth', 'users', 'courses', 'sessions', 'enrollments', 'attendance', 'materials', 'reports'];

describe('OpenAPI document and bad input', () => {
  let sut: RunningApp;
  let admin: TestUser;
  beforeAll(async () => {
    sut = await startApiApp();
    admin = await createUser(sut.app, 'admin');
  });
  afterAll(() => sut.close());

  it('documents every course-management route with a summary, its errors and its auth', async () => {
    const doc = (await request(sut.url).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    const ops = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })))
      .filter(({ op }) => op.tags?.some((t) => MINE.includes(t)));
    expect(ops.length).toBeGreaterThan(40);
    for (const { path, method, op } of ops) {
      const where = `${method.toUpperCase()} ${path}`;
      expect([where, (op.summary?.length ?? 0) > 0]).toEqual([where, true]);
      const codes = Object.keys(op.responses);
      expect([where, codes.some((c) => c.startsWith('4'))]).toEqual([where, true]);
      const isPublic =
        path.startsWith('/api/auth') || path.startsWith('/api/catalogue') || path.startsWith('/api/internal');
      if (!isPublic)
        expect([where, Boolean(op.security?.length) && codes.includes('401') && codes.includes('403')]).toEqual([
          where,
          true,
        ]);
    }
    expect(doc.paths['/api/courses/{courseId}/enrollments']).toBeDefined();
    expect(doc.paths['/api/internal/attendance/events']).toBeDefined();
  });

  it('never answers 500 to malformed ids, wrong types, unknown fields, bad enums, out-of-range dates or huge bodies', async () => {
    const course = await createCourse(sut.app, { status: 'draft' });
    const session = await createSession(sut.app, course.id, new Date('2029-01-01T02:00:00Z'));
    const cases: Array<[string, string, unknown?]> = [
      ['get', '/api/courses/%20'],
      ['get', '/api/courses/abc'],
      ['get', '/api/courses/123456789012345678901234z'],
      ['get', '/api/sessions/{}'],
      ['get', '/api/courses?page=-1'],
      ['get', '/api/courses?limit=1e9'],
      ['get', '/api/courses?status=archived'],
      ['get', '/api/courses?from=2026-02-30T00:00:00Z'],
      ['get', '/api/courses?unknown=1'],
      ['get', '/api/users?sector=mining'],
      ['get', '/api/users?kecamatan=Jakarta'],
      ['patch', `/api/courses/${course.id}`, { capacity: -5 }],
      ['patch', `/api/courses/${course.id}`, { capacity: '10' }],
      ['patch', `/api/courses/${course.id}`, { certificate: { minAttendancePercent: 150 } }],
      ['patch', `/api/courses/${course.id}`, { certificate: 'yes' }],
      ['patch', `/api/courses/${course.id}`, { trainerIds: 'abc' }],
      ['patch', `/api/courses/${course.id}`, { registrationClosesAt: '1999-01-01T00:00:00Z' }],
      ['patch', `/api/sessions/${session.id}`, { startsAt: '2029-01-01T25:00:00+07:00' }],
      ['patch', `/api/sessions/${session.id}`, { startsAt: null }],
      ['post', `/api/courses/${course.id}/status`, { status: ['published'] }],
      ['post', `/api/courses/${course.id}/roster`, { userId: { $gt: '' } }],
      ['post', '/api/courses', { title: 'x'.repeat(150_000) }],
      ['post', '/api/courses', [1, 2, 3]],
      ['post', '/api/auth/login', { email: { $ne: null }, password: 'x' }],
    ];
    for (const [method, path, body] of cases) {
      const req = request(sut.url)[method as 'get' | 'post' | 'patch'](path).set(admin.auth);
      const res = body === undefined ? await req : await req.send(body as object);
      expect([`${method} ${path}`, res.status >= 400 && res.status < 500]).toEqual([`${method} ${path}`, true]);
      expect(res.body).toMatchObject({
        statusCode: res.status,
        error: expect.any(String),
        message: expect.any(String),
      });
    }
  });
});
