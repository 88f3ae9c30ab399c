/**
 * Vite config for the browser client. Run from the repo root:
 *   npm run build:web   (-> apps/web/dist, served by the API at `/`)
 *   npm run dev:web     (dev server with /api and /socket.io proxied)
 */
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';
import { constants as zlib } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../..');

export default defineConfig({
  root: here,
  plugins: [
    preact({ prefreshEnabled: false, devToolsEnabled: false }),
    // Precompressed copies (.gz, .br) beside each text asset, served by apps/api/src/web with
    // Content-Encoding: a phone on a 500 kbit/s link downloads the room code in a quarter of the time (#10).
    compression({
      algorithms: [
        defineAlgorithm('gzip', { level: 9 }),
        defineAlgorithm('brotliCompress', { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }),
      ],
      include: /\.(html|js|mjs|css|svg|json|webmanifest|txt)$/,
      exclude: /\.vite\//,
      threshold: 512,
      logLevel: 'silent',
    }),
  ],
  resolve: {
    alias: {
      '@balai/domain': resolve(repo, 'libs/domain/src'),
      '@balai/live-contract': resolve(repo, 'libs/live-contract/src'),
    },
  },
  build: {
    outDir: resolve(here, 'dist'),
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    reportCompressedSize: false,
    manifest: true,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: true },
      '/socket.io': { target: 'http://localhost:3001', ws: true, changeOrigin: true },
    },
  },
});
