// Try mediasoup's own prebuilt worker download (the same URL scheme its
// postinstall uses, honouring MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL).
// Exit 0 with the binary at argv[2] if it downloaded and runs here; 1 otherwise.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, chmodSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const require = createRequire(resolve('node_modules/mediasoup/package.json'));
const pkg = require('./package.json');
const tar = require('tar');
const out = process.argv[2];

const kernel = platform() === 'linux' ? `-kernel${Number(release().split('.')[0])}` : '';
const name = `mediasoup-worker-${pkg.version}-${platform()}-${arch()}${kernel}.tgz`;
const base =
  process.env.MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL ??
  `${pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '')}/releases/download`;
const url = `${base}/${pkg.version}/${name}`;

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
  const dir = mkdtempSync(join(tmpdir(), 'mediasoup-prebuilt-'));
  await pipeline(Readable.fromWeb(response.body), tar.extract({ cwd: dir, strict: true }));
  const bin = join(dir, 'mediasoup-worker');
  if (!existsSync(bin)) throw new Error('archive has no mediasoup-worker');
  chmodSync(bin, 0o755);
  try {
    execFileSync(bin, [], { stdio: 'ignore', env: {} });
  } catch (error) {
    // Without MEDIASOUP_VERSION the worker exits 41 on purpose: that means it runs here.
    if (error.status !== 41)
      throw new Error(`prebuilt worker does not run here (exit ${error.status})`, { cause: error });
  }
  mkdirSync(dirname(out), { recursive: true });
  renameSync(bin, out);
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`downloaded prebuilt mediasoup-worker ${pkg.version}\n`);
} catch (error) {
  process.stderr.write(`no prebuilt mediasoup-worker (${url}): ${error.message ?? error}\n`);
  process.exit(1);
}
