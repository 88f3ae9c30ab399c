import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigService } from '@nestjs/config';
import { PNG } from 'pngjs';
import type { WorkerEnv } from '@balai/config';
import { CertificateRenderer } from './certificate.renderer';

const FONTS = {
  CERT_FONT_PATH: '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf',
  CERT_FONT_BOLD_PATH: '/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf',
};
const DATA = {
  number: '0001/PKM-2026-01/DISPERIN/2026',
  verificationUrl: 'https://balai.test/verify/abc',
  participantName: 'Ani Suryani',
  courseTitle: 'Pemasaran Digital',
  courseType: 'pelatihan' as const,
  dateRange: '3 Maret 2026',
  lessonHours: 8,
  placeAndDate: 'Cikarang, 4 Maret 2026',
};

// Each renderer runs render threads; they are ended after every test, as the worker's shutdown does.
const started: CertificateRenderer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((r) => r.onApplicationShutdown()));
});

function rendererWith(env: Partial<Record<keyof WorkerEnv, string>>): CertificateRenderer {
  const values: Record<string, string> = {
    CERT_ISSUER_NAME: 'Dinas Perindustrian',
    CERT_SIGNATORY_NAME: 'Nama',
    CERT_SIGNATORY_TITLE: 'Kepala Dinas',
    CERT_SIGNATORY_NIP: '1',
    ...FONTS,
    ...env,
  };
  const sut = new CertificateRenderer({ get: (key: string) => values[key] } as unknown as ConfigService<
    WorkerEnv,
    true
  >);
  sut.onModuleInit();
  started.push(sut);
  return sut;
}

function logoFile(): string {
  const png = new PNG({ width: 8, height: 8 });
  png.data.fill(200);
  const path = join(mkdtempSync(join(tmpdir(), 'balai-logo-')), 'logo.png');
  writeFileSync(path, PNG.sync.write(png));
  return path;
}

describe('CertificateRenderer', () => {
  it('draws the Dinas logo when CERT_LOGO_PATH is set, and none otherwise', async () => {
    const withLogo = (await rendererWith({ CERT_LOGO_PATH: logoFile() }).render(DATA)).toString('latin1');
    const without = (await rendererWith({}).render(DATA)).toString('latin1');
    expect(withLogo).toMatch(/\/Subtype \/Image/);
    expect(without).not.toMatch(/\/Subtype \/Image/);
  });

  it('refuses to start with a logo path it cannot read, naming the variable', () => {
    expect(() => rendererWith({ CERT_LOGO_PATH: '/nonexistent/logo.png' })).toThrow(/CERT_LOGO_PATH/);
  });
});
