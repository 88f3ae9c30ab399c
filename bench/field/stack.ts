/**
 * The real Balai stack for bench:field: the browser client built into a
 * private directory (so a bench never rewrites apps/web/dist under a running
 * test), the API serving it, and the live service with one mediasoup worker,
 * both listening only on the host end of the phone's veth pair. The trainer's
 * browser on this host reaches that address over loopback; the phone reaches
 * it through the shaped link.
 *
 * process.env is set here, before the apps' modules are imported (their config
 * modules validate the environment on import).
 */
import type { INestApplication } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export interface Stack {
  apiUrl: string;
  liveUrl: string;
  api: INestApplication;
  webDir: string;
  close(): Promise<void>;
}

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Everything this run wrote to the shared Redis (its own prefix). */
async function removeRedisKeys(url: string, prefix: string): Promise<void> {
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** `vite build` of apps/web into `outDir` (the same config as `npm run build:web`). */
export function buildWeb(outDir: string): void {
  execFileSync(
    join(ROOT, 'node_modules/.bin/vite'),
    ['build', '--config', 'apps/web/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

/**
 * The files of the lazily loaded room code, from Vite's manifest: the chunk of
 * every dynamically imported module under src/live/, its static imports and CSS,
 * minus what the main entry loads anyway.
 */
export function roomCodeFiles(webDir: string): string[] {
  const path = [join(webDir, '.vite', 'manifest.json'), join(webDir, 'manifest.json')].find((p) => existsSync(p));
  if (!path) return [];
  type Chunk = {
    file: string;
    src?: string;
    isEntry?: boolean;
    isDynamicEntry?: boolean;
    imports?: string[];
    css?: string[];
  };
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Chunk>;
  const collect = (keys: string[], into = new Set<string>()) => {
    for (const key of keys) {
      const chunk = manifest[key];
      if (!chunk || into.has(chunk.file)) continue;
      into.add(chunk.file);
      for (const css of chunk.css ?? []) into.add(css);
      collect(chunk.imports ?? [], into);
    }
    return into;
  };
  const entryKeys = Object.keys(manifest).filter((k) => manifest[k].isEntry);
  const main = collect(entryKeys);
  const roomKeys = Object.keys(manifest).filter(
    (k) => manifest[k].isDynamicEntry && /(^|\/)live\//.test(manifest[k].src ?? k),
  );
  return [...collect(roomKeys)].filter((file) => !main.has(file));
}

export async function startStack(hostIp: string, webDir: string): Promise<Stack> {
  const apiPort = await freePort(hostIp);
  const livePort = await freePort(hostIp);
  const apiUrl = `http://${hostIp}:${apiPort}`;
  const liveUrl = `http://${hostIp}:${livePort}`;
  const tag = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const mongo = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027/balai');
  mongo.pathname = `/balai_bench_field_${tag}`;
  Object.assign(process.env, {
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.FIELD_LOG_LEVEL ?? 'silent',
    MONGODB_URI: mongo.toString(),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6390',
    REDIS_PREFIX: `bench_field_${tag}`,
    API_PORT: String(apiPort),
    LIVE_PORT: String(livePort),
    PUBLIC_BASE_URL: apiUrl,
    LIVE_PUBLIC_URL: liveUrl,
    API_INTERNAL_URL: apiUrl,
    CORS_ORIGINS: apiUrl,
    WEB_DIST_DIR: webDir,
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    AUTH_IP_RATE_LIMIT_PER_MINUTE: '1000',
    MEDIASOUP_NUM_WORKERS: '1',
    MEDIASOUP_LOG_LEVEL: 'none',
    MEDIASOUP_LISTEN_IP: hostIp,
    MEDIASOUP_MIN_PORT: '47000',
    MEDIASOUP_MAX_PORT: '47999',
  });

  const { Test } = await import('@nestjs/testing');
  const { AppModule } = await import('../../apps/api/src/app.module');
  const { configureApiApp } = await import('../../apps/api/src/setup');
  const { LiveModule } = await import('../../apps/live/src/live.module');
  const { configureLiveApp } = await import('../../apps/live/src/setup');

  const apiRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const api = apiRef.createNestApplication({ bodyParser: false, bufferLogs: true });
  configureApiApp(api);
  await api.listen(apiPort, hostIp);

  const liveRef = await Test.createTestingModule({ imports: [LiveModule] }).compile();
  const live = liveRef.createNestApplication({ bodyParser: false, bufferLogs: true });
  configureLiveApp(live);
  await live.listen(livePort, hostIp);

  return {
    apiUrl,
    liveUrl,
    api,
    webDir,
    close: async () => {
      const { getConnectionToken } = await import('@nestjs/mongoose');
      await api
        .get<{ dropDatabase(): Promise<unknown> }>(getConnectionToken())
        .dropDatabase()
        .catch(() => undefined);
      await live.close().catch(() => undefined);
      await api.close().catch(() => undefined);
      await removeRedisKeys(process.env.REDIS_URL!, `bench_field_${tag}`).catch(() => undefined);
    },
  };
}
