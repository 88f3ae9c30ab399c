/**
 * A render thread (node:worker_threads): draws certificates (from a template prepared once per
 * thread, certificate.template.ts) off the worker's
 * event loop, so while PDFs are being drawn the main thread still renews job
 * locks and records a delivered mail the moment the SMTP server accepts it
 * (a kill in that gap is what repeated an "issued" mail). Receives its fonts
 * and the worker's settings once in workerData; answers each { id, data } with { id, pdf } or
 * { id, error }. Never touches the database or the network.
 *
 * At start-up it prepares the template and draws one sample certificate, thrown away: the first
 * certificates of a batch then cost what the others do (without it the first of each thread paid
 * for parsing the fonts, building the font programs and V8 compiling pdfkit: 45 + 90 ms measured, against
 * 7-12 ms for the next ones).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CertificateDocumentData, SAMPLE_CERTIFICATE } from './certificate-document';
import type { CertificateAssets, CertificateSettings } from './certificate.drawing';
import { CertificateTemplate } from './certificate.template';

export interface RenderRequest {
  id: number;
  data: CertificateDocumentData;
}

export type RenderReply = { id: number; pdf: Uint8Array } | { id: number; error: string };

export interface RenderThreadData {
  assets: CertificateAssets;
  settings: CertificateSettings;
}

const { assets, settings } = workerData as RenderThreadData;
/**
 * Prepared once for the thread's lifetime (the settings are the worker's configuration), then warmed with a
 * sample. Messages that arrive meanwhile wait for it; a template that cannot be built (a broken font) fails
 * each render with its reason instead of killing the thread, which would only be started again.
 */
const template = Promise.resolve().then(() => new CertificateTemplate(settings, assets));
const ready = template.then(async (prepared) => {
  await prepared.render(SAMPLE_CERTIFICATE).catch(() => undefined);
  return prepared;
});
// Handled per request below; without this an unused failure would be an unhandled rejection (the thread's end).
ready.catch(() => undefined);

parentPort!.on('message', (request: RenderRequest) => {
  ready
    .then((prepared) => prepared.render(request.data))
    .then(
      (pdf) => {
        const bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
        parentPort!.postMessage({ id: request.id, pdf: bytes } satisfies RenderReply);
      },
      (error: Error) => parentPort!.postMessage({ id: request.id, error: error.message } satisfies RenderReply),
    );
});
