#!/usr/bin/env node
/**
 * bench:web-bundle — builds the web client and reports the gzipped JavaScript
 * a participant downloads, checked against the 300 KB budget (issue 6).
 *
 *  - first load: the entry chunk and its static imports (what index.html loads)
 *  - participant path: first load + the live-room chunk and its imports
 *    (mediasoup-client + socket.io-client), loaded when they join a session
 * The budget is applied to the participant path, the larger of the two.
 * Sizes are gzip level 9 of the built files (what a compressing proxy serves).
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 300 * 1024;
const root = resolve(import.meta.dirname, '../..');
const dist = join(root, 'apps/web/dist');

if (!process.argv.includes('--no-build')) {
  execSync('npx vite build --config apps/web/vite.config.ts --logLevel warn', { cwd: root, stdio: 'inherit' });
}
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));

function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key]?.imports ?? []) closure(dep, seen);
  return seen;
}
const size = (keys) => {
  let raw = 0;
  let gz = 0;
  const files = [];
  for (const k of keys) {
    const file = manifest[k].file;
    if (!file.endsWith('.js')) continue;
    const buf = readFileSync(join(dist, file));
    const g = gzipSync(buf, { level: 9 }).length;
    raw += buf.length;
    gz += g;
    files.push({ file, raw: buf.length, gzip: g });
  }
  return { raw, gz, files };
};
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
const roomKey = Object.keys(manifest).find(
  (k) => k.endsWith('src/live/room/index.tsx') || k.endsWith('src/live/room.tsx'),
);
const first = closure(entry);
const participant = new Set(first);
if (roomKey) closure(roomKey, participant);

const a = size(first);
const b = size(participant);
console.log('Balai web bundle (JavaScript, gzip -9)');
for (const f of b.files)
  console.log(`  ${f.file.padEnd(40)} ${kb(f.raw).padStart(10)} raw ${kb(f.gzip).padStart(10)} gz`);
console.log(`first load (catalogue, sign-in, Kelas saya): ${kb(a.gz)} gz (${kb(a.raw)} raw)`);
console.log(`participant path incl. live room:           ${kb(b.gz)} gz (${kb(b.raw)} raw)`);
console.log(`budget ${kb(BUDGET)}: ${b.gz <= BUDGET ? 'OK' : 'OVER'} (${((b.gz / BUDGET) * 100).toFixed(0)}% used)`);
if (b.gz > BUDGET) process.exit(1);
