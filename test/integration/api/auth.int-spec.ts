import request from 'supertest';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { NOTIFICATION_JOBS, QUEUES } from '@balai/queue';
import { RunningApp, startApiApp } from '../../support/api-app';
import { createUser, TEST_PASSWORD, validIkm } from '../../support/factories';

jest.setTimeout(90_000);

describe('auth API', () => {
  let sut: RunningApp;
  beforeAll(async () => {
    sut = await startApiApp();
  });
  afterAll(() => sut.close());

  const register = (body: Record<string, unknown>) => request(sut.url).post('/api/auth/register').send(body);
  const newParticipant = (email: string) => ({ email, password: 'Rahasia123', name: 'Ani Suryani', ikm: validIkm() });

  it('registers a participant with an IKM profile and a normalised WhatsApp number', async () => {
    const res = await register(newParticipant('ani@example.com')).expect(201);
    expect(res.body.accessToken).toEqual(expect.any(String));
    expect(res.body.refreshToken).toEqual(expect.any(String));
    expect(res.body.user).toMatchObject({
      role: 'participant',
      email: 'ani@example.com',
      ikm: { whatsapp: '+6281234567890' },
    });
    expect(res.body.user.passwordHash).toBeUndefined();
    const me = await request(sut.url).get('/api/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body.ikm.nib).toBe('1234567890123');
  });

  it('explains each invalid IKM field in Bahasa Indonesia by default', async () => {
    const res = await register({
      ...newParticipant('bad@example.com'),
      ikm: validIkm({ nib: '123', sector: 'mining', kecamatan: 'Jakarta', whatsapp: '12345' }),
    }).expect(400);
    expect(res.body.error).toBe('VALIDATION_FAILED');
    expect(res.body.message).toBe('Data yang diisi belum benar.');
    expect(res.body.details['ikm.nib'][0]).toContain('NIB harus 13 digit');
    expect(Object.keys(res.body.details)).toEqual(
      expect.arrayContaining(['ikm.sector', 'ikm.kecamatan', 'ikm.whatsapp']),
    );
  });

  it('answers in English when asked', async () => {
    const res = await request(sut.url).post('/api/auth/register').set('Accept-Language', 'en').send({}).expect(400);
    expect(res.body.message).toBe('Some fields are not valid.');
  });

  it('rejects unknown fields, including trying to register as admin', async () => {
    const res = await register({ ...newParticipant('sneaky@example.com'), role: 'admin' }).expect(400);
    expect(res.body.details.role).toBeDefined();
  });

  it('rejects a duplicate email with 409', async () => {
    await register(newParticipant('dupe@example.com')).expect(201);
    const res = await register(newParticipant('DUPE@example.com')).expect(409);
    expect(res.body.error).toBe('EMAIL_TAKEN');
  });

  it('rejects malformed JSON and oversized bodies with 4xx', async () => {
    await request(sut.url)
      .post('/api/auth/register')
      .set('Content-Type', 'application/json')
      .send('{"email":')
      .expect(400);
    const res = await register({ ...newParticipant('big@example.com'), name: 'x'.repeat(200_000) }).expect(413);
    expect(res.body.statusCode).toBe(413);
  });

  it('logs in, refreshes with rotation, and a reused refresh token revokes the family', async () => {
    const user = await createUser(sut.app, 'trainer');
    const login = await request(sut.url)
      .post('/api/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    const first = login.body.refreshToken as string;
    const second = (await request(sut.url).post('/api/auth/refresh').send({ refreshToken: first }).expect(200)).body
      .refreshToken as string;
    expect(second).not.toBe(first);
    const reuse = await request(sut.url).post('/api/auth/refresh').send({ refreshToken: first }).expect(401);
    expect(reuse.body.error).toBe('INVALID_REFRESH_TOKEN');
    // The legitimate successor is revoked too.
    await request(sut.url).post('/api/auth/refresh').send({ refreshToken: second }).expect(401);
  });

  it('logout revokes the refresh token', async () => {
    const user = await createUser(sut.app, 'participant');
    const login = await request(sut.url)
      .post('/api/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    await request(sut.url).post('/api/auth/logout').send({ refreshToken: login.body.refreshToken }).expect(204);
    await request(sut.url).post('/api/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
  });

  it('rejects a wrong password and forged refresh tokens with 401', async () => {
    const user = await createUser(sut.app, 'participant');
    const res = await request(sut.url)
      .post('/api/auth/login')
      .send({ email: user.email, password: 'wrong-pass1' })
      .expect(401);
    expect(res.body.error).toBe('INVALID_CREDENTIALS');
    await request(sut.url)
      .post('/api/auth/refresh')
      .send({ refreshToken: '000000000000000000000000.forged-secret' })
      .expect(401);
    await request(sut.url).post('/api/auth/refresh').send({ refreshToken: 12345 }).expect(400);
  });

  it('rate-limits login per account with 429 in the error shape', async () => {
    const user = await createUser(sut.app, 'participant');
    const statuses: number[] = [];
    // Default AUTH_RATE_LIMIT_PER_MINUTE is 10.
    for (let i = 0; i < 12; i++) {
      const res = await request(sut.url).post('/api/auth/login').send({ email: user.email, password: 'wrong-pass1' });
      statuses.push(res.status);
      if (res.status === 429) expect(res.body).toMatchObject({ statusCode: 429, error: 'TOO_MANY_REQUESTS' });
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    // Even the right password is refused inside the window.
    await request(sut.url).post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(429);
  });

  it('resets a password through the queued link, once', async () => {
    const user = await createUser(sut.app, 'participant');
    await request(sut.url).post('/api/auth/password-reset/request').send({ email: user.email }).expect(202);
    await request(sut.url).post('/api/auth/password-reset/request').send({ email: 'nobody@example.com' }).expect(202);
    const queue = sut.app.get<Queue>(getQueueToken(QUEUES.notifications));
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    const job = jobs.find((j) => j.name === NOTIFICATION_JOBS.passwordReset && j.data.userId === user.id);
    expect(job).toBeDefined();
    const token = new URL(job!.data.resetUrl as string).searchParams.get('token')!;
    await request(sut.url)
      .post('/api/auth/password-reset/confirm')
      .send({ token, newPassword: 'BaruSekali9' })
      .expect(204);
    await request(sut.url)
      .post('/api/auth/password-reset/confirm')
      .send({ token, newPassword: 'BaruSekali9' })
      .expect(400);
    await request(sut.url).post('/api/auth/login').send({ email: user.email, password: 'BaruSekali9' }).expect(200);
  });

  describe('staff accounts', () => {
    it('admin creates a trainer; trainer, participant and anonymous cannot', async () => {
      const admin = await createUser(sut.app, 'admin');
      const trainer = await createUser(sut.app, 'trainer');
      const participant = await createUser(sut.app, 'participant');
      const body = { email: 'new-trainer@test.local', password: 'Pelatih123', name: 'Budi', role: 'trainer' };
      await request(sut.url).post('/api/users').send(body).expect(401);
      await request(sut.url).post('/api/users').set(trainer.auth).send(body).expect(403);
      await request(sut.url).post('/api/users').set(participant.auth).send(body).expect(403);
      const res = await request(sut.url).post('/api/users').set(admin.auth).send(body).expect(201);
      expect(res.body.role).toBe('trainer');
      await request(sut.url)
        .post('/api/users')
        .set(admin.auth)
        .send({ ...body, email: 'x@test.local', role: 'participant' })
        .expect(400);
    });

    it('a participant reads only their own profile; admins read anyone', async () => {
      const admin = await createUser(sut.app, 'admin');
      const a = await createUser(sut.app, 'participant');
      const b = await createUser(sut.app, 'participant');
      await request(sut.url).get(`/api/users/${b.id}`).set(a.auth).expect(403);
      await request(sut.url).get(`/api/users/${a.id}`).set(a.auth).expect(200);
      await request(sut.url).get(`/api/users/${b.id}`).set(admin.auth).expect(200);
      await request(sut.url).get('/api/users').set(a.auth).expect(403);
      await request(sut.url).get('/api/users?role=participant').set(admin.auth).expect(200);
      await request(sut.url).get('/api/users/not-an-id').set(admin.auth).expect(400);
      await request(sut.url).get('/api/users?role=superuser').set(admin.auth).expect(400);
      await request(sut.url).get('/api/me').expect(401);
      await request(sut.url).get('/api/me').set('Authorization', 'Bearer garbage').expect(401);
    });
  });
});
