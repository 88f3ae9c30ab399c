import { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { configureHttpApp } from '@balai/common';
import type { ApiEnv } from '@balai/config';
import { finishApiDocument } from './common/api-docs';

/**
 * Everything main.ts does to the API app before listening. Integration tests
 * call this too, so they exercise the production configuration.
 */
export function configureApiApp(app: INestApplication): void {
  configureHttpApp(app);
  const config = app.get(ConfigService<ApiEnv, true>);
  app.setGlobalPrefix('api', { exclude: [] });
  app.enableCors({ origin: config.get('CORS_ORIGINS', { infer: true }), credentials: true });
  SwaggerModule.setup('api/docs', app, createApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
}

/**
 * The OpenAPI document of the app (global prefix already set). Also built offline,
 * with no database, by apps/web/scripts/gen-api-types.ts for the web client's types.
 */
export function createApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Balai API')
      .setDescription(
        'Course management for Dinas Perindustrian Kabupaten Bekasi: people, courses, sessions, enrolment, attendance, materials, certificates and reports.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  return finishApiDocument(document);
}
