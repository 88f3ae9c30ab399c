/**
 * Renders certificate PDFs in a small pool of threads (certificate-render.thread.ts,
 * drawing in certificate.drawing.ts). pdfkit's work is synchronous CPU: on the
 * main thread a batch kept the event loop busy for long stretches, so lock
 * renewals and the "mail sent" markers waited behind it. A thread that dies is
 * replaced; its pending renders fail (the job retries).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { WorkerEnv } from '@balai/config';
import type { CertificateDocumentData } from './certificate-document';
import type { CertificateAssets, CertificateSettings } from './certificate.drawing';
import type { RenderReply, RenderRequest, RenderThreadData } from './certificate-render.thread';

/** Old-generation heap of a render thread (the template, fonts and layout caches live there). */
const RENDER_THREAD_OLD_SPACE_MB = 96;

interface Pending {
  resolve(pdf: Buffer): void;
  reject(error: Error): void;
}

interface RenderThread {
  worker: Worker;
  pending: Map<number, Pending>;
}

@Injectable()
export class CertificateRenderer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CertificateRenderer.name);
  private assets!: CertificateAssets;
  private settings!: CertificateSettings;
  private threads: RenderThread[] = [];
  private nextId = 1;
  private closing = false;

  constructor(private readonly config: ConfigService<WorkerEnv, true>) {}

  /** Read fonts and logo once at start-up, so a missing file stops the worker with its path. */
  onModuleInit(): void {
    const read = (name: keyof WorkerEnv, path: string): Buffer => {
      try {
        return readFileSync(path);
      } catch (error) {
        throw new Error(`${String(name)}: cannot read ${path} (${(error as Error).message})`, { cause: error });
      }
    };
    const logoPath = this.config.get('CERT_LOGO_PATH', { infer: true });
    this.assets = {
      regular: read('CERT_FONT_PATH', this.config.get('CERT_FONT_PATH', { infer: true })),
      bold: read('CERT_FONT_BOLD_PATH', this.config.get('CERT_FONT_BOLD_PATH', { infer: true })),
      logo: logoPath ? read('CERT_LOGO_PATH', logoPath) : undefined,
    };
    this.settings = {
      issuerName: this.config.get('CERT_ISSUER_NAME', { infer: true }),
      signatoryTitle: this.config.get('CERT_SIGNATORY_TITLE', { infer: true }),
      signatoryName: this.config.get('CERT_SIGNATORY_NAME', { infer: true }),
      signatoryNip: this.config.get('CERT_SIGNATORY_NIP', { infer: true }),
    };
    // One core is left to the main thread (Mongo, Redis, SMTP); at most two: rendering is not the bottleneck.
    const size = Math.max(1, Math.min(2, availableParallelism() - 1));
    this.threads = Array.from({ length: size }, () => this.spawn());
  }

  /** After the queue workers finished their active jobs (beforeApplicationShutdown), which may still render. */
  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  render(data: CertificateDocumentData): Promise<Buffer> {
    const thread = this.threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ id, data } satisfies RenderRequest);
    });
  }

  private spawn(): RenderThread {
    // From TypeScript sources (development, tests) the thread compiles itself as the main process does.
    const file = join(__dirname, `certificate-render.thread${extname(__filename)}`);
    const execArgv = extname(__filename) === '.ts' ? ['-r', '@swc-node/register'] : [];
    // A bounded heap: V8 would otherwise let a busy thread's garbage grow for long before collecting it
    // (the worker's RSS budget is 300 MiB). A template needs a few MiB; a render a few hundred KiB.
    const worker = new Worker(file, {
      workerData: { assets: this.assets, settings: this.settings } satisfies RenderThreadData,
      execArgv,
      resourceLimits: { maxOldGenerationSizeMb: RENDER_THREAD_OLD_SPACE_MB, maxYoungGenerationSizeMb: 8 },
    });
    worker.unref();
    const thread: RenderThread = { worker, pending: new Map() };
    worker.on('message', (reply: RenderReply) => {
      const pending = thread.pending.get(reply.id);
      if (!pending) return;
      thread.pending.delete(reply.id);
      if ('error' in reply) pending.reject(new Error(`certificate rendering failed: ${reply.error}`));
      else pending.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
    });
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      for (const p of thread.pending.values()) p.reject(error);
      thread.pending.clear();
      if (this.closing) return;
      this.logger.error({ err: error.message }, 'render thread died; starting another');
      this.threads = this.threads.map((t) => (t === thread ? this.spawn() : t));
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`render thread exited with code ${code}`)));
    return thread;
  }
}
