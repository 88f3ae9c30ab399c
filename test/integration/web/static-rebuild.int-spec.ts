import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import type { RunningApp } from '../../support/api-app';

/**
 * A `build:web` while the API runs writes new hashed files and their
 * compressed copies; the API must send those compressed too, without a
 * restart (express-static-gzip lists the copies once, when it is made).
 */
jest.setTimeout(120_000);

describe('web client static files after a rebuild while the API runs', () => {
  let api: RunningApp;
  let dist: string;
  const previous = process.env.WEB_DIST_DIR;

  const writeAsset = (name: string, body: string) => {
    writeFileSync(join(dist, 'assets', name), body);
    writeFileSync(join(dist, 'assets', `${name}.br`), brotliCompressSync(Buffer.from(body)));
  };
  const writeIndex = (marker: string, mtimeSeconds: number) => {
    const path = join(dist, 'index.html');
    writeFileSync(path, `<!doctype html><div id="app"></div><!-- ${marker} -->`);
    utimesSync(path, mtimeSeconds, mtimeSeconds);
  };

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'balai-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeIndex('first build', 1_700_000_000);
    writeAsset('app-first.js', 'console.log("first");'.repeat(50));
    process.env.WEB_DIST_DIR = dist;
    // The configuration is read when the app module is loaded: load it after WEB_DIST_DIR is set.
    const { startApiApp } = await import('../../support/api-app');
    api = await startApiApp();
  });

  afterAll(async () => {
    await api?.close();
    if (previous === undefined) delete process.env.WEB_DIST_DIR;
    else process.env.WEB_DIST_DIR = previous;
    rmSync(dist, { recursive: true, force: true });
  });

  const encodingOf = async (path: string) => {
    const res = await fetch(`${api.url}${path}`, {
      headers: { 'Accept-Encoding': 'br', Accept: 'application/javascript' },
    });
    const body = await res.text(); // undici decodes the brotli
    return { status: res.status, encoding: res.headers.get('content-encoding'), build: /"(\w+)"/.exec(body)?.[1] };
  };

  it('sends a file of the new build as brotli once index.html changed', async () => {
    expect(await encodingOf('/assets/app-first.js')).toEqual({ status: 200, encoding: 'br', build: 'first' });

    writeAsset('app-second.js', 'console.log("second");'.repeat(50));
    writeIndex('second build', 1_700_000_100);

    // The list is read again at most a second after the change is seen.
    const deadline = Date.now() + 10_000;
    let seen = await encodingOf('/assets/app-second.js');
    while (seen.encoding !== 'br' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      seen = await encodingOf('/assets/app-second.js');
    }
    expect(seen).toEqual({ status: 200, encoding: 'br', build: 'second' });
    expect(await encodingOf('/assets/app-first.js')).toEqual({ status: 200, encoding: 'br', build: 'first' });
  });
});
