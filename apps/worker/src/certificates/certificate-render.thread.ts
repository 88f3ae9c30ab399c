/**
 * A render thread (node:worker_threads): draws certificates (from a template prepared once per
 * thread, certificate.template.ts) off the worker's
 * event loop, so while PDFs are being drawn the main thread still renews job
 * locks and records a delivered mail the moment the SMTP server accepts it
 * (a kill in that gap is what repeated an "issued" mail). Receives its fonts
 * once in workerData; answers each { id, data, settings } with { id, pdf } or
 * { id, error }. Never touches the database or the network.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CertificateDocumentData } from './certificate-document';
import type { CertificateAssets, CertificateSettings } from './certificate.drawing';
import { CertificateTemplate } from './certificate.template';

export interface RenderRequest {
  id: number;
  data: CertificateDocumentData;
  settings: CertificateSettings;
}

export type RenderReply = { id: number; pdf: Uint8Array } | { id: number; error: string };

const assets = workerData as CertificateAssets;
/** Prepared once for the settings of the first request (they are the worker's configuration). */
let template: { key: string; value: CertificateTemplate } | undefined;

function templateFor(settings: CertificateSettings): CertificateTemplate {
  const key = JSON.stringify(settings);
  if (template?.key !== key) template = { key, value: new CertificateTemplate(settings, assets) };
  return template.value;
}

parentPort!.on('message', (request: RenderRequest) => {
  Promise.resolve()
    .then(() => templateFor(request.settings).render(request.data))
    .then(
      (pdf) => {
        const bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
        parentPort!.postMessage({ id: request.id, pdf: bytes } satisfies RenderReply);
      },
      (error: Error) => parentPort!.postMessage({ id: request.id, error: error.message } satisfies RenderReply),
    );
});
