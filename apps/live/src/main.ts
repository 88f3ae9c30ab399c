import { NestFactory } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { configureHttpApp } from '@balai/common';
import type { LiveEnv } from '@balai/config';
import { LiveModule } from './live.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(LiveModule, { bufferLogs: true, bodyParser: false });
  configureHttpApp(app);
  const config = app.get(ConfigService<LiveEnv, true>);
  app.enableCors({ origin: true, credentials: true });
  await app.listen(config.get('LIVE_PORT', { infer: true }), config.get('LIVE_HOST', { infer: true }));
}

void bootstrap();
