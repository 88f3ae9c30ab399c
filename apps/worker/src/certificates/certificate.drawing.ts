/**
 * Draws one certificate as a PDF (A4 landscape, Bahasa Indonesia) with pdfkit.
 * Fonts are embedded (subset) TrueType files so names with diacritics print as
 * written; long names and business names shrink, then wrap, to stay inside
 * their box. Pure and synchronous CPU work: no database, no network, no Nest;
 * it runs in a render thread (certificate-render.thread.ts) so it never blocks
 * the worker's event loop.
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { CertificateDocumentData } from './certificate-document';

const PAGE = { width: 841.89, height: 595.28 };
const MARGIN = 56;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;

/** Fonts and logo, read once at start-up. */
export interface CertificateAssets {
  regular: Uint8Array;
  bold: Uint8Array;
  logo?: Uint8Array;
}

/** The issuer and signatory printed on every certificate (from the worker's configuration). */
export interface CertificateSettings {
  issuerName: string;
  signatoryTitle: string;
  signatoryName: string;
  signatoryNip: string;
}

/** The fonts the page names: 'Regular' and 'Bold'. */
export type CertificateFontName = 'Regular' | 'Bold';

/**
 * Draws the certificate with pdfkit from scratch: the fonts are parsed, shaped and subset for this one
 * document. The worker draws through CertificateTemplate (certificate.template.ts), which does the
 * same page with fonts prepared once per thread; this is the reference it is compared with.
 */
export function drawCertificate(
  data: CertificateDocumentData,
  settings: CertificateSettings,
  assets: CertificateAssets,
): Promise<Buffer> {
  const doc = newCertificateDocument(data, settings, { defaultFont: true });
  const done = collectPdf(doc);
  doc.registerFont('Regular', Buffer.from(assets.regular));
  doc.registerFont('Bold', Buffer.from(assets.bold));
  drawPage(doc, data, settings, assets);
  doc.end();
  return done;
}

/** The document every certificate starts from: A4 landscape, no margin, its number in the title. */
export function newCertificateDocument(
  data: CertificateDocumentData,
  settings: CertificateSettings,
  o: { defaultFont?: boolean } = {},
): PDFKit.PDFDocument {
  return new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    // Without a default font pdfkit does not load Helvetica's metrics (unused: the page names its own).
    ...(o.defaultFont ? {} : { font: null as unknown as string }),
    info: { Title: `Sertifikat ${data.number}`, Author: settings.issuerName },
  });
}

/** Everything on the page, in the fonts registered as 'Regular' and 'Bold'. */
export function drawPage(
  doc: PDFKit.PDFDocument,
  data: CertificateDocumentData,
  settings: CertificateSettings,
  assets: CertificateAssets,
): void {
  drawFrame(doc);
  drawBody(doc, data, settings, assets);
  drawFooter(doc, data, settings);
}

/** Every string the page prints whatever the certificate (the template shapes their glyphs once). */
export function staticTexts(settings: CertificateSettings): Record<CertificateFontName, string[]> {
  return {
    Bold: [settings.issuerName.toUpperCase(), 'SERTIFIKAT', settings.signatoryName],
    Regular: [
      'Nomor: ',
      'diberikan kepada',
      'atas partisipasinya sebagai peserta pelatihan',
      'atas partisipasinya sebagai peserta sosialisasi',
      'yang diselenggarakan pada',
      'Pindai untuk verifikasi:',
      settings.signatoryTitle,
      `NIP. ${settings.signatoryNip}`,
    ],
  };
}

function drawFrame(doc: PDFKit.PDFDocument): void {
  doc
    .lineWidth(4)
    .strokeColor('#1f4e79')
    .rect(20, 20, PAGE.width - 40, PAGE.height - 40)
    .stroke();
  doc
    .lineWidth(1)
    .strokeColor('#c9a227')
    .rect(28, 28, PAGE.width - 56, PAGE.height - 56)
    .stroke();
}

function drawBody(
  doc: PDFKit.PDFDocument,
  data: CertificateDocumentData,
  settings: CertificateSettings,
  assets: CertificateAssets,
): void {
  let y = 44;
  if (assets.logo) {
    doc.image(Buffer.from(assets.logo), PAGE.width / 2 - 28, y, { fit: [56, 56], align: 'center' });
    y += 62;
  }
  const issuer = settings.issuerName.toUpperCase();
  y = fitted(doc, issuer, y, { font: 'Bold', max: 15, min: 10, color: '#1f4e79', maxLines: 1 });
  y += 10;
  y = fitted(doc, 'SERTIFIKAT', y, { font: 'Bold', max: 40, min: 40, color: '#1f4e79', maxLines: 1, spacing: 6 });
  y = fitted(doc, `Nomor: ${data.number}`, y + 2, { font: 'Regular', max: 12, min: 8, maxLines: 1 });
  y = fitted(doc, 'diberikan kepada', y + 14, { font: 'Regular', max: 14, min: 14, maxLines: 1 });
  y = fitted(doc, data.participantName, y + 6, { font: 'Bold', max: 30, min: 16, maxLines: 2 });
  if (data.businessName) {
    y = fitted(doc, data.businessName, y + 2, { font: 'Regular', max: 16, min: 10, maxLines: 2, color: '#333333' });
  }
  const role = data.courseType === 'sosialisasi' ? 'sosialisasi' : 'pelatihan';
  y = fitted(doc, `atas partisipasinya sebagai peserta ${role}`, y + 12, {
    font: 'Regular',
    max: 13,
    min: 13,
    maxLines: 1,
  });
  y = fitted(doc, data.courseTitle, y + 4, { font: 'Bold', max: 18, min: 11, maxLines: 2, color: '#1f4e79' });
  fitted(doc, `yang diselenggarakan pada ${data.dateRange} (${formatJp(data.lessonHours)} JP)`, y + 4, {
    font: 'Regular',
    max: 12,
    min: 9,
    maxLines: 2,
  });
}

function drawFooter(doc: PDFKit.PDFDocument, data: CertificateDocumentData, settings: CertificateSettings): void {
  const top = PAGE.height - 168;
  const qrSize = 92;
  drawQr(doc, data.verificationUrl, MARGIN + 4, top + 20, qrSize);
  doc.font('Regular').fontSize(7).fillColor('#444444');
  doc.text('Pindai untuk verifikasi:', MARGIN + 4, top + 20 + qrSize + 4, { width: 260, lineBreak: false });
  doc.text(data.verificationUrl, MARGIN + 4, top + 20 + qrSize + 13, { width: 300, lineBreak: false });

  const x = PAGE.width - MARGIN - 300;
  const w = 300;
  doc.fillColor('#000000').font('Regular').fontSize(11);
  doc.text(data.placeAndDate, x, top, { width: w, align: 'center' });
  doc.text(settings.signatoryTitle, x, doc.y, { width: w, align: 'center' });
  const nameY = top + 84;
  doc.font('Bold').fontSize(11).text(settings.signatoryName, x, nameY, {
    width: w,
    align: 'center',
    underline: true,
  });
  doc
    .font('Regular')
    .fontSize(10)
    .text(`NIP. ${settings.signatoryNip}`, x, doc.y + 2, {
      width: w,
      align: 'center',
    });
}

/**
 * Centre `text` at `y`, shrinking from `max` to `min` points until it fits on
 * one line; at `min` it wraps, up to `maxLines`. Returns the y below it.
 */
function fitted(
  doc: PDFKit.PDFDocument,
  text: string,
  y: number,
  o: { font: string; max: number; min: number; maxLines: number; color?: string; spacing?: number },
): number {
  doc.font(o.font).fillColor(o.color ?? '#000000');
  let size = o.max;
  while (size > o.min && doc.fontSize(size).widthOfString(text, { characterSpacing: o.spacing ?? 0 }) > CONTENT_WIDTH) {
    size -= 0.5;
  }
  doc.fontSize(size);
  const lineHeight = doc.currentLineHeight(true);
  const height = Math.min(doc.heightOfString(text, { width: CONTENT_WIDTH, align: 'center' }), lineHeight * o.maxLines);
  doc.text(text, MARGIN, y, {
    width: CONTENT_WIDTH,
    align: 'center',
    height,
    ellipsis: true,
    characterSpacing: o.spacing ?? 0,
  });
  return y + height;
}

/** The QR code as vector squares: sharp at any zoom, and no PNG to encode and decode per certificate. */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 2;
  const cell = size / (modules.size + 2 * quiet);
  doc.save().rect(x, y, size, size).fill('#ffffff');
  for (let row = 0; row < modules.size; row += 1) {
    for (let col = 0; col < modules.size; col += 1) {
      if (modules.get(row, col)) doc.rect(x + (col + quiet) * cell, y + (row + quiet) * cell, cell, cell);
    }
  }
  doc.fill('#000000').restore();
}

function formatJp(hours: number): string {
  return Number.isInteger(hours) ? String(hours) : hours.toLocaleString('id-ID');
}

export function collectPdf(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
