import { NestFactory } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import type { ApiEnv } from '@balai/config';
import { AppModule } from './app.module';
import { configureApiApp } from './setup';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, { bufferLogs: true, bodyParser: false });
  configureApiApp(app);
  const config = app.get(ConfigService<ApiEnv, true>);
  await app.listen(config.get('API_PORT', { infer: true }), config.get('API_HOST', { infer: true }));
}

void bootstrap();
