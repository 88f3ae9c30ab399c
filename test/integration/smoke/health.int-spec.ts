import request from 'supertest';
import type { RunningApp } from '../../support/api-app';
import { PrivateRedis } from '../../support/redis-server';

/**
 * GET /api/health reports MongoDB and Redis. This file runs the API on a
 * private Redis so it can stop it and see the 503.
 */
describe('smoke: API health', () => {
  let redis: PrivateRedis;
  let api: RunningApp;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    process.env.REDIS_URL = redis.url;
    const { startApiApp } = await import('../../support/api-app');
    api = await startApiApp();
  });

  afterAll(async () => {
    await api?.close();
    await redis?.destroy();
  });

  it('is 200 with status ok when MongoDB and Redis are up', async () => {
    const response = await request(api.url).get('/api/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      details: { mongodb: { status: 'up' }, redis: { status: 'up' } },
    });
    expect(response.headers['x-request-id']).toBeTruthy();
  });

  it('is 503 with details when Redis is down', async () => {
    await redis.stop();
    const response = await request(api.url).get('/api/health').expect(503);
    expect(response.body).toMatchObject({
      status: 'error',
      details: { mongodb: { status: 'up' }, redis: { status: 'down' } },
    });
    await redis.restart();
  });

  it('answers unknown routes with the error shape', async () => {
    const response = await request(api.url).get('/api/nope').set('Accept-Language', 'en').expect(404);
    expect(response.body).toEqual({ statusCode: 404, error: 'NOT_FOUND', message: 'Not found.' });
  });

  it('tells the browser client where the live service is', async () => {
    const response = await request(api.url).get('/api/live/config').expect(200);
    expect(response.body).toEqual({ liveUrl: 'http://localhost:3001' });
  });
});
