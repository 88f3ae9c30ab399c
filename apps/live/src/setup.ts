import { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { configureHttpApp } from '@balai/common';
import type { LiveAppEnv } from './config/live-config';
import { RedisIoAdapter } from './redis-io.adapter';

/** What main.ts and the test harness both do, so tests run the production wiring. */
export function configureLiveApp(app: INestApplication): void {
  configureHttpApp(app);
  const config = app.get(ConfigService<LiveAppEnv, true>);
  app.useWebSocketAdapter(
    new RedisIoAdapter(
      app,
      config.get('REDIS_URL', { infer: true }),
      `${config.get('REDIS_PREFIX', { infer: true })}:live:socket.io`,
    ),
  );
  app.enableCors({ origin: true, credentials: true });
}
