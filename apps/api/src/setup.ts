import { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { configureHttpApp } from '@balai/common';
import type { ApiEnv } from '@balai/config';

/**
 * Everything main.ts does to the API app before listening. Integration tests
 * call this too, so they exercise the production configuration.
 */
export function configureApiApp(app: INestApplication): void {
  configureHttpApp(app);
  const config = app.get(ConfigService<ApiEnv, true>);
  app.setGlobalPrefix('api', { exclude: [] });
  app.enableCors({ origin: config.get('CORS_ORIGINS', { infer: true }), credentials: true });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Balai API')
      .setDescription('Course management for Dinas Perindustrian Kabupaten Bekasi: people, courses, sessions, enrolment, attendance, materials, certificates and reports.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
