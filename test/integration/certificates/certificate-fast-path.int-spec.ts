/**
 * The worker's fast certificate path (a template prepared once per render thread:
 * apps/worker/src/certificates/certificate.template.ts, through the real CertificateRenderer and its
 * threads) prints the same certificate as drawing every page from scratch with pdfkit
 * (drawCertificate, the path before issue 15): the same text (pdf-parse), the same embedded fonts
 * (pdffonts, subset tag aside), the same page size (pdfinfo), the same QR payload (the page rendered
 * by pdftoppm, decoded by jsQR) and the same page image, pixel for pixel at 150 dpi. The page images
 * are kept in test-output/screenshots/certificates/ to be looked at.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ConfigService } from '@nestjs/config';
import jsQR from 'jsqr';
import pdfParse from 'pdf-parse';
import { PNG } from 'pngjs';
import type { WorkerEnv } from '@balai/config';
import type { CertificateDocumentData } from '../../../apps/worker/src/certificates/certificate-document';
import { drawCertificate } from '../../../apps/worker/src/certificates/certificate.drawing';
import { CertificateRenderer } from '../../../apps/worker/src/certificates/certificate.renderer';

const OUT = resolve(__dirname, '../../../test-output/screenshots/certificates');

const SETTINGS = {
  issuerName: 'Dinas Perindustrian Kabupaten Bekasi',
  signatoryTitle: 'Kepala Dinas Perindustrian',
  signatoryName: 'Dr. Ir. Siti Rahma, M.T.',
  signatoryNip: '19751012 200003 2 004',
};
const ENV: Record<string, string> = {
  CERT_ISSUER_NAME: SETTINGS.issuerName,
  CERT_SIGNATORY_TITLE: SETTINGS.signatoryTitle,
  CERT_SIGNATORY_NAME: SETTINGS.signatoryName,
  CERT_SIGNATORY_NIP: SETTINGS.signatoryNip,
  CERT_FONT_PATH: '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf',
  CERT_FONT_BOLD_PATH: '/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf',
};

const base: CertificateDocumentData = {
  number: '0042/PKM-2026-03/DISPERIN/2026',
  verificationUrl: 'https://balai.test/verify/q8WJm1y0a6c4Yb0wZfV3Tw',
  participantName: 'Ani Suryani',
  businessName: 'UD Keripik Tempe Bu Ani',
  courseTitle: 'Pelatihan Pengemasan Produk Pangan Olahan',
  courseType: 'pelatihan',
  dateRange: '3 s.d. 5 Maret 2026',
  lessonHours: 24,
  placeAndDate: 'Cikarang, 6 Maret 2026',
};

/** Names and texts the layout treats differently: plain, other letters, wrapping, shrinking, no business. */
const CASES: Array<[string, CertificateDocumentData]> = [
  ['plain', base],
  [
    'diacritics-and-wrapping',
    {
      ...base,
      number: '0043/PKM-2026-03/DISPERIN/2026',
      verificationUrl: 'https://balai.test/verify/Zx-_9kLmNoPqRsTuVwXy0A',
      participantName: 'Ñoman Śuryadi Nguyễn Çahyono',
      businessName:
        'CV Kerajinan Bambu dan Anyaman Pandan Lestari Sejahtera Abadi Makmur Jaya Sentosa Kabupaten Bekasi',
      courseTitle: 'Pelatihan Pengemasan Produk Pangan Olahan untuk Pasar Ekspor dan Sertifikasi Halal Nasional',
    },
  ],
  [
    'long-name-sosialisasi',
    {
      ...base,
      number: '0044/SOS-2026-01/DISPERIN/2026',
      participantName: 'Raden Ajeng Kartika Dewi Sekar Ayu Ningrum Puspitasari Wulandari Kusumawardhani',
      businessName: undefined,
      courseType: 'sosialisasi',
      courseTitle: 'Sosialisasi Standar Nasional Indonesia',
      dateRange: '28 Februari s.d. 2 Maret 2026',
      lessonHours: 2.5,
    },
  ],
];

function rendererFor(): CertificateRenderer {
  const renderer = new CertificateRenderer({ get: (key: string) => ENV[key] } as unknown as ConfigService<
    WorkerEnv,
    true
  >);
  renderer.onModuleInit();
  return renderer;
}

/** The embedded fonts as pdffonts lists them, without the subset tag ("ABCDEF+") and object number. */
function fonts(file: string): string[] {
  return execFileSync('pdffonts', [file])
    .toString()
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((line) => line.replace(/^[A-Z]{6}\+/, '').replace(/\s+\d+\s+\d+\s*$/, ''))
    .sort();
}

function pageSize(file: string): string {
  return /Page size:\s+(.*)/.exec(execFileSync('pdfinfo', [file]).toString())![1]!;
}

function pageImage(file: string, out: string): PNG {
  execFileSync('pdftoppm', ['-png', '-r', '150', '-singlefile', file, out]);
  return PNG.sync.read(readFileSync(`${out}.png`));
}

describe('certificate fast path', () => {
  let renderer: CertificateRenderer;
  let dir: string;

  beforeAll(() => {
    renderer = rendererFor();
    dir = mkdtempSync(join(tmpdir(), 'balai-fast-path-'));
    mkdirSync(OUT, { recursive: true });
  });
  afterAll(async () => {
    await renderer.onApplicationShutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(CASES)(
    '%s: same text, fonts, page size, QR payload and page image as drawing from scratch',
    async (name, data) => {
      const assets = { regular: readFileSync(ENV.CERT_FONT_PATH!), bold: readFileSync(ENV.CERT_FONT_BOLD_PATH!) };
      const before = await drawCertificate(data, SETTINGS, assets);
      // Twice: the second certificate of a thread reuses what the first prepared and cached.
      await renderer.render({ ...data, participantName: `${data.participantName} X` });
      const fast = await renderer.render(data);
      const files = { before: join(dir, `${name}-before.pdf`), fast: join(dir, `${name}-fast.pdf`) };
      writeFileSync(files.before, before);
      writeFileSync(files.fast, fast);

      const [textBefore, textFast] = [(await pdfParse(before)).text, (await pdfParse(fast)).text];
      expect(textFast).toBe(textBefore);
      expect(textFast.replace(/\s+/g, ' ')).toContain(data.participantName);
      expect(textFast).toContain(data.number);

      expect(fonts(files.fast)).toEqual(fonts(files.before));
      expect(fonts(files.fast)).toEqual([
        expect.stringMatching(/^DejaVuSerif\s+CID TrueType\s+Identity-H\s+yes yes yes$/),
        expect.stringMatching(/^DejaVuSerif-Bold\s+CID TrueType\s+Identity-H\s+yes yes yes$/),
      ]);
      expect(pageSize(files.fast)).toBe(pageSize(files.before));
      expect(pageSize(files.fast)).toMatch(/^841\.89 x 595\.28 pts \(A4\)/);

      const images = {
        before: pageImage(files.before, join(OUT, `${name}-before`)),
        fast: pageImage(files.fast, join(OUT, `${name}-fast`)),
      };
      const qr = (png: PNG) =>
        jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data;
      expect(qr(images.fast)).toBe(data.verificationUrl);
      expect([images.fast.width, images.fast.height]).toEqual([images.before.width, images.before.height]);
      let differing = 0;
      for (let i = 0; i < images.fast.data.length; i += 4) {
        if (images.fast.data.readUInt32BE(i) !== images.before.data.readUInt32BE(i)) differing += 1;
      }
      expect(differing).toBe(0);
    },
  );
});
