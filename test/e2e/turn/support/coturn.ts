/**
 * A private coturn (Debian's `coturn` package) for the TURN tests: loopback
 * only, random ports, the shared-secret REST mode the live service issues
 * credentials for, and a throw-away self-signed certificate for TURN over TLS.
 * Relaying to loopback peers is allowed here only because the SFU under test
 * listens on 127.0.0.1; the production config (infra/coturn/turnserver.conf)
 * denies private and loopback peers.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TURNSERVER = process.env.TURNSERVER_PATH ?? '/usr/bin/turnserver';

export interface RunningCoturn {
  secret: string;
  realm: string;
  /** turn:127.0.0.1:P?transport=udp, turn:...?transport=tcp, turns:127.0.0.1:T?transport=tcp */
  urls: { udp: string; tcp: string; tls: string };
  /** base64 SHA-256 of the test certificate's SubjectPublicKeyInfo (Chromium's --ignore-certificate-errors-spki-list). */
  spkiSha256: string;
  log(): string;
  close(): Promise<void>;
}

async function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/** A port free for both TCP and UDP on loopback (TURN listens on both). */
async function freeDualPort(): Promise<number> {
  for (let i = 0; i < 50; i += 1) {
    const port = 20_000 + Math.floor(Math.random() * 9_000);
    if ((await tcpFree(port)) && (await udpFree(port))) return port;
  }
  throw new Error('no free port for coturn');
}

async function waitTcp(port: number, child: ChildProcess, logPath: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`turnserver exited with ${child.exitCode}: ${readFileSync(logPath, 'utf8').slice(-2000)}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`turnserver did not listen on ${port} within ${timeoutMs} ms`);
}

export async function startCoturn(): Promise<RunningCoturn> {
  const dir = mkdtempSync(join(tmpdir(), 'balai-coturn-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  const spki = new X509Certificate(readFileSync(cert)).publicKey.export({ type: 'spki', format: 'der' });
  const port = await freeDualPort();
  let tlsPort = await freeDualPort();
  while (tlsPort === port) tlsPort = await freeDualPort();
  const relayBase = 50_000 + Math.floor(Math.random() * 150) * 100;
  const secret = randomBytes(24).toString('hex');
  const realm = 'balai.test';
  const logPath = join(dir, 'turn.log');
  writeFileSync(
    join(dir, 'turnserver.conf'),
    [
      'listening-ip=127.0.0.1',
      'relay-ip=127.0.0.1',
      `listening-port=${port}`,
      `tls-listening-port=${tlsPort}`,
      `min-port=${relayBase}`,
      `max-port=${relayBase + 99}`,
      'use-auth-secret',
      `static-auth-secret=${secret}`,
      `realm=${realm}`,
      'fingerprint',
      `cert=${cert}`,
      `pkey=${key}`,
      'no-tlsv1',
      'no-tlsv1_1',
      'no-cli',
      'no-multicast-peers',
      'allow-loopback-peers',
      `userdb=${join(dir, 'turndb')}`,
      `pidfile=${join(dir, 'turnserver.pid')}`,
      `log-file=${logPath}`,
      'simple-log',
      'verbose',
      '',
    ].join('\n'),
  );
  writeFileSync(logPath, '');
  const child = spawn(TURNSERVER, ['-c', join(dir, 'turnserver.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const close = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitTcp(port, child, logPath);
    await waitTcp(tlsPort, child, logPath);
  } catch (error) {
    await close();
    throw new Error(`${(error as Error).message}\n${stderr}`, { cause: error });
  }
  return {
    secret,
    realm,
    urls: {
      udp: `turn:127.0.0.1:${port}?transport=udp`,
      tcp: `turn:127.0.0.1:${port}?transport=tcp`,
      tls: `turns:127.0.0.1:${tlsPort}?transport=tcp`,
    },
    spkiSha256: createHash('sha256').update(spki).digest('base64'),
    log: () => readFileSync(logPath, 'utf8'),
    close,
  };
}
