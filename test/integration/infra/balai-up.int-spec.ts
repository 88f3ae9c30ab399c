/**
 * What `infra/balai up` adds before the apps start: secrets of its own for this
 * install (never the development default published in the repository), and a
 * warning while certificates would carry placeholder signatory data. The real
 * shell functions run against a temporary state directory.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { apiEnvSchema, parseEnv } from '@balai/config';
import { freePort } from '../../support/redis-server';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');

jest.setTimeout(60_000);

describe('infra/balai up', () => {
  let state: string;
  beforeEach(() => {
    state = mkdtempSync(join(tmpdir(), 'balai-state-'));
  });
  afterEach(() => rmSync(state, { recursive: true, force: true }));

  async function shell(script: string, env: Record<string, string> = {}): Promise<string> {
    const base = { ...process.env };
    for (const name of ['JWT_SECRET', 'INTERNAL_API_TOKEN', 'BALAI_OWNER', 'SMTP_URL']) delete base[name];
    for (const name of Object.keys(base)) if (name.startsWith('CERT_')) delete base[name];
    const { stdout } = await run(
      'bash',
      ['-c', `set -euo pipefail; source infra/scripts/lib.sh; source infra/scripts/apps.sh; ${script}`],
      {
        cwd: ROOT,
        env: { ...base, BALAI_STATE_DIR: state, ...env },
      },
    );
    return stdout;
  }

  it('generates JWT_SECRET and INTERNAL_API_TOKEN once per install, private to the owner', async () => {
    const first = await shell('ensure_secrets 2>/dev/null; echo "$JWT_SECRET $INTERNAL_API_TOKEN"');
    const again = await shell('ensure_secrets 2>/dev/null; echo "$JWT_SECRET $INTERNAL_API_TOKEN"');
    expect(again).toBe(first);
    const [jwt, internal] = first.trim().split(' ');
    const defaults = parseEnv(apiEnvSchema, {});
    expect(jwt).not.toBe(defaults.JWT_SECRET);
    expect(internal).not.toBe(defaults.INTERNAL_API_TOKEN);
    expect(jwt!.length).toBeGreaterThanOrEqual(40);
    expect(jwt).not.toBe(internal);
    expect(statSync(join(state, 'secrets.env')).mode & 0o077).toBe(0);
    // A secret the operator set wins.
    expect(
      await shell('ensure_secrets 2>/dev/null; echo "$JWT_SECRET"', { JWT_SECRET: 'operator-chosen-secret-123' }),
    ).toBe('operator-chosen-secret-123\n');
  });

  it('starts the mail catcher for the worker, shows its inbox, and down stops it', async () => {
    const [smtpPort, httpPort] = [await freePort(), await freePort()];
    const ports = { MAILBOX_SMTP_PORT: String(smtpPort), MAILBOX_HTTP_PORT: String(httpPort) };
    const env = (await shell('unset SMTP_URL; start_mailbox 2>/dev/null; echo "$SMTP_URL"', ports)).trim();
    try {
      expect(env).toBe(`smtp://127.0.0.1:${smtpPort}`);
      const inbox = await fetch(`http://127.0.0.1:${httpPort}/`);
      expect(await inbox.text()).toContain('Kotak surat pengembangan');
    } finally {
      await shell('stop_mailbox 2>/dev/null');
    }
    await expect(fetch(`http://127.0.0.1:${httpPort}/`)).rejects.toThrow();
  });

  it('warns while the certificate signatory settings are placeholders, and not once they are set', async () => {
    expect(await shell('warn_signatory')).toMatch(
      /placeholder signatory data \(CERT_SIGNATORY_NAME, CERT_SIGNATORY_NIP\)/,
    );
    const set = { CERT_SIGNATORY_NAME: 'Dr. Ir. Siti Rahma, M.T.', CERT_SIGNATORY_NIP: '19751012 200003 2 004' };
    expect(await shell('warn_signatory', set)).toBe('');
  });
});
