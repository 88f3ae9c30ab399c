import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import type { LiveAppEnv } from './config/live-config';
import { LiveModule } from './live.module';
import { MembershipService } from './rooms/membership.service';
import { configureLiveApp } from './setup';

/** How long clients are asked to wait before rejoining after a graceful stop. */
const REJOIN_AFTER_MS = 1000;

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(LiveModule, { bufferLogs: true, bodyParser: false });
  configureLiveApp(app);
  const config = app.get(ConfigService<LiveAppEnv, true>);
  await app.listen(config.get('LIVE_PORT', { infer: true }), config.get('LIVE_HOST', { infer: true }));

  // Graceful stop (deploy, orchestrator): tell clients to come back, close every
  // interval, release every room, then close. A second signal exits at once.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    const logger = new Logger('Shutdown');
    logger.log({ signal }, 'stopping: releasing rooms and telling clients');
    void app
      .get(MembershipService)
      .shutdown(REJOIN_AFTER_MS)
      .catch((error: unknown) => logger.error({ err: error }, 'room release failed'))
      // Let the notices reach the sockets before the server closes them.
      .then(() => new Promise((resolve) => setTimeout(resolve, 200)))
      .then(() => app.close())
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

void bootstrap();
