import { Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import express, { Express, NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ApiEnv } from '@balai/config';

/**
 * Serves the built browser client (WEB_DIST_DIR, default apps/web/dist) at `/`.
 * Mounted after the API routes, so `/api/...` is never shadowed; any other GET
 * that is not a file (client-side routes such as `/verify/<code>`) gets
 * index.html. Hashed assets are cached for a year, index.html never.
 */
@Injectable()
export class WebClientServer implements OnModuleInit {
  private readonly logger = new Logger(WebClientServer.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: ConfigService<ApiEnv, true>,
  ) {}

  onModuleInit(): void {
    const dir = this.config.get('WEB_DIST_DIR', { infer: true });
    const root = dir ? resolve(dir) : '';
    const index = join(root, 'index.html');
    if (!root || !existsSync(index)) {
      this.logger.warn({ dir: root }, 'web client not built; run `npm run build:web` to serve it');
      return;
    }
    const app = this.adapterHost.httpAdapter.getInstance<Express>();
    app.use(
      express.static(root, {
        index: false,
        setHeaders: (res, path) => {
          const immutable = path.includes(`${join(root, 'assets')}`);
          res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      }),
    );
    app.use((req: Request, res: Response, next: NextFunction) => {
      const isPage = (req.method === 'GET' || req.method === 'HEAD') && !req.path.startsWith('/api') && req.accepts('html');
      if (!isPage) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  }
}

@Module({ providers: [WebClientServer] })
export class WebModule {}
