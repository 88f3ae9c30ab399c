import { NestFactory } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { configureHttpApp } from '@balai/common';
import type { WorkerEnv } from '@balai/config';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(WorkerModule, { bufferLogs: true, bodyParser: false });
  configureHttpApp(app);
  const config = app.get(ConfigService<WorkerEnv, true>);
  await app.listen(config.get('WORKER_HEALTH_PORT', { infer: true }), config.get('WORKER_HOST', { infer: true }));
}

void bootstrap();
