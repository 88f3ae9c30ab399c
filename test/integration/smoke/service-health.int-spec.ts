import { INestApplication, Type } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { configureHttpApp } from '@balai/common';

/** The live service and the worker each answer GET /health with their dependencies. */
describe('smoke: live and worker health endpoints', () => {
  async function boot(load: () => Promise<Type<unknown>>): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({ imports: [await load()] }).compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, bufferLogs: true });
    configureHttpApp(app);
    await app.listen(0, '127.0.0.1');
    return app;
  }

  it('live: MongoDB, Redis and the live mediasoup workers', async () => {
    const app = await boot(async () => (await import('../../../apps/live/src/live.module')).LiveModule);
    try {
      const response = await request(app.getHttpServer()).get('/health').expect(200);
      expect(response.body).toMatchObject({
        status: 'ok',
        details: { mongodb: { status: 'up' }, redis: { status: 'up' }, mediasoup: { status: 'up', workers: 1 } },
      });
    } finally {
      await app.close();
    }
  });

  it('worker: MongoDB and Redis', async () => {
    const app = await boot(async () => (await import('../../../apps/worker/src/worker.module')).WorkerModule);
    try {
      const response = await request(app.getHttpServer()).get('/health').expect(200);
      expect(response.body).toMatchObject({
        status: 'ok',
        details: { mongodb: { status: 'up' }, redis: { status: 'up' } },
      });
    } finally {
      await app.close();
    }
  });
});
