import { NestFactory } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import type { LiveAppEnv } from './config/live-config';
import { LiveModule } from './live.module';
import { configureLiveApp } from './setup';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(LiveModule, { bufferLogs: true, bodyParser: false });
  configureLiveApp(app);
  const config = app.get(ConfigService<LiveAppEnv, true>);
  await app.listen(config.get('LIVE_PORT', { infer: true }), config.get('LIVE_HOST', { infer: true }));
}

void bootstrap();
