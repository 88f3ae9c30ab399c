import { Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express, NextFunction, Request, Response } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { existsSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { ApiEnv } from '@balai/config';

/**
 * Serves the built browser client (WEB_DIST_DIR, default apps/web/dist) at `/`.
 * Mounted after the API routes, so `/api/...` is never shadowed; any other GET
 * that is not a file (client-side routes such as `/verify/<code>`) gets
 * index.html. The build writes brotli and gzip copies beside each text file
 * (vite.config.ts); they are sent with `Content-Encoding` and `Vary:
 * Accept-Encoding` to a browser that accepts them. Hashed assets are cached
 * for a year as immutable, everything else (index.html) is revalidated.
 * express-static-gzip lists the compressed copies once, when it is created;
 * a `build:web` while the API runs rewrites index.html, so the list is made
 * again when index.html's mtime changes (checked at most once a second).
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
    const assets = join(root, 'assets') + sep;
    const serve = () =>
      expressStaticGzip(root, {
        enableBrotli: true,
        orderPreference: ['br', 'gzip'],
        index: false,
        serveStatic: {
          index: false,
          setHeaders: (res, path) => {
            const immutable = path.startsWith(assets);
            res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
          },
        },
      });
    const indexMtime = () => {
      try {
        return statSync(index).mtimeMs;
      } catch {
        return 0;
      }
    };
    let current = serve();
    let builtAt = indexMtime();
    let checkedAt = Date.now();
    const files = (req: Request, res: Response, next: NextFunction) => {
      const now = Date.now();
      if (now - checkedAt >= 1000) {
        checkedAt = now;
        const mtime = indexMtime();
        if (mtime !== builtAt) {
          builtAt = mtime;
          current = serve();
          this.logger.log({ dir: root }, 'web client rebuilt; compressed file list read again');
        }
      }
      current(req, res, next);
    };
    app.use(files);
    app.use((req: Request, res: Response, next: NextFunction) => {
      const isPage =
        (req.method === 'GET' || req.method === 'HEAD') && !req.path.startsWith('/api') && req.accepts('html');
      if (!isPage) return next();
      // Client-side routes get index.html (compressed like any file), never a 404.
      req.url = '/index.html';
      files(req, res, next);
    });
  }
}

@Module({ providers: [WebClientServer] })
export class WebModule {}
