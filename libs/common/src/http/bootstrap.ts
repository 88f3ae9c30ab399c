import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AllExceptionsFilter } from '../errors/all-exceptions.filter';
import { createValidationPipe } from '../errors/validation.pipe';

export interface HttpAppOptions {
  /** JSON/urlencoded body limit; uploads go through multer with their own limit. */
  bodyLimit?: string;
}

/**
 * What every Balai HTTP app does before listening: pino logger, the one error
 * shape, strict validation, body limits and graceful shutdown on SIGTERM.
 * Used by main.ts files and by the integration-test harness, so tests run
 * exactly the configuration production runs.
 */
export function configureHttpApp(app: INestApplication, options: HttpAppOptions = {}): void {
  const expressApp = app as NestExpressApplication;
  expressApp.useLogger(app.get(Logger));
  expressApp.useBodyParser('json', { limit: options.bodyLimit ?? '100kb' });
  expressApp.useBodyParser('urlencoded', { limit: options.bodyLimit ?? '100kb', extended: false });
  expressApp.set('trust proxy', 'loopback, uniquelocal');
  expressApp.disable('x-powered-by');
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
}
