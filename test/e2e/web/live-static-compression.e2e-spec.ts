import './support/env';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startApiApp, RunningApp } from '../../support/api-app';

/**
 * The API serves the built client precompressed (#10, weak link): brotli or
 * gzip made at build time, chosen by Accept-Encoding, with Vary; hashed assets
 * immutable for a year, index.html (and client-side routes) revalidated.
 * Needs `npm run build:web`.
 */
const DIST = join(process.cwd(), 'apps/web/dist');

// The API's start-up waits for every index: slow on a loaded machine.
jest.setTimeout(120_000);

describe('web client static files: precompressed and cached', () => {
  let api: RunningApp;
  let roomChunk: string;

  beforeAll(async () => {
    expect(existsSync(join(DIST, 'index.html'))).toBe(true);
    roomChunk = readdirSync(join(DIST, 'assets')).find((f) => /^room-.*\.js$/.test(f))!;
    expect(roomChunk).toBeDefined();
    api = await startApiApp();
  });

  afterAll(async () => {
    await api?.close();
  });

  const get = (path: string, encoding?: string) =>
    fetch(`${api.url}${path}`, {
      headers: { ...(encoding !== undefined ? { 'Accept-Encoding': encoding } : {}), Accept: '*/*' },
    });

  it('sends the room code as brotli to a browser that accepts it, immutable for a year', async () => {
    const res = await get(`/assets/${roomChunk}`, 'gzip, deflate, br');
    // fetch() would decode transparently; read the raw bytes via the header and a manual decode.
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('vary')).toMatch(/Accept-Encoding/i);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(readFileSync(join(DIST, 'assets', roomChunk)))).toBe(true); // undici decoded the brotli
    const compressed = readFileSync(join(DIST, 'assets', `${roomChunk}.br`));
    expect(brotliDecompressSync(compressed).equals(body)).toBe(true);
    process.stdout.write(
      `room chunk: ${body.length} bytes, brotli ${compressed.length} bytes (${Math.round((100 * compressed.length) / body.length)}%)\n`,
    );
  });

  it('falls back to gzip, and to the plain file when the browser accepts no encoding', async () => {
    const gz = await get(`/assets/${roomChunk}`, 'gzip');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('vary')).toMatch(/Accept-Encoding/i);
    await gz.arrayBuffer();
    expect(
      gunzipSync(readFileSync(join(DIST, 'assets', `${roomChunk}.gz`))).equals(
        readFileSync(join(DIST, 'assets', roomChunk)),
      ),
    ).toBe(true);

    const plain = await get(`/assets/${roomChunk}`, 'identity');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toMatch(/Accept-Encoding/i);
    expect(Number(plain.headers.get('content-length'))).toBe(readFileSync(join(DIST, 'assets', roomChunk)).length);
    await plain.arrayBuffer();
  });

  it('revalidates index.html, also when a client-side route is opened, and compresses it too', async () => {
    for (const path of ['/', '/index.html', '/verify/ABC123']) {
      const res = await fetch(`${api.url}${path}`, { headers: { Accept: 'text/html', 'Accept-Encoding': 'br, gzip' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-encoding')).toBe('br');
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(await res.text()).toContain('<div id="app">');
    }
  });

  it('leaves the API alone: JSON routes and unknown API paths are not the client', async () => {
    const health = await fetch(`${api.url}/api/live/config`, { headers: { Accept: 'application/json' } });
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toMatch(/application\/json/);
    const missing = await fetch(`${api.url}/api/no-such-route`, { headers: { Accept: 'text/html' } });
    expect(missing.status).toBe(404);
  });
});
