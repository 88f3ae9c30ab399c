import { Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { ConfigService } from '@nestjs/config';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { ApiEnv } from '@balai/config';

/**
 * Serves the built browser client (apps/web/dist) at `/` in production and
 * tests, with client-side routes falling back to index.html. `/api` is never
 * shadowed.
 */
@Module({
  imports: [
    ServeStaticModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<ApiEnv, true>) => {
        const dir = config.get('WEB_DIST_DIR', { infer: true });
        const rootPath = dir ? resolve(dir) : '';
        if (!rootPath || !existsSync(rootPath)) return [];
        return [{ rootPath, exclude: ['/api/{*path}', '/verify-api/{*path}'], serveStaticOptions: { maxAge: '1h', index: 'index.html' } }];
      },
    }),
  ],
})
export class WebModule {}
