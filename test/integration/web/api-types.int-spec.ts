import request from 'supertest';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../../apps/api/src/app.module';
import { createApiDocument } from '../../../apps/api/src/setup';
import { RunningApp, startApiApp } from '../../support/api-app';

/**
 * `npm run gen:api-types` builds the OpenAPI document offline (Nest preview
 * mode, no database) to type the web client. This proves that document is the
 * one the running API serves, so the client is typed against the real API.
 */
jest.setTimeout(90_000);

describe('the web client types come from the served OpenAPI document', () => {
  let sut: RunningApp;
  beforeAll(async () => {
    sut = await startApiApp();
  });
  afterAll(() => sut.close());

  it('builds offline exactly the document the running API serves', async () => {
    const served = (await request(sut.url).get('/api/docs-json').expect(200)).body as Record<string, unknown>;
    const preview = await NestFactory.create(AppModule, { preview: true, logger: false, abortOnError: false });
    try {
      preview.setGlobalPrefix('api', { exclude: [] });
      const offline = JSON.parse(JSON.stringify(createApiDocument(preview))) as Record<string, unknown>;
      expect(Object.keys(offline.paths as object).length).toBeGreaterThan(40);
      expect(offline).toEqual(served);
    } finally {
      await preview.close();
    }
  });
});
