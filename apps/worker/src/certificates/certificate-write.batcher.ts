/**
 * Stores the certificates of concurrent jobs together: their PDFs (GridFS chunks, then file
 * documents) and then their certificate documents, three inserts for the whole group instead of
 * three per certificate. A group is what arrives within WINDOW_MS of its first member (or
 * MAX_BATCH). Each job still gets its own answer (`created`, or which unique key conflicted) and
 * keeps the order that makes a crash safe: its PDF is stored before its certificate, so a
 * certificate never names a missing file, and a PDF without a certificate is a leftover that the
 * next attempt removes (CertificateIssuer, CertificatePdfStore.deleteOthers).
 */
import { Injectable } from '@nestjs/common';
import type { Types } from 'mongoose';
import { CertificatePdfStore } from './certificate-pdf.store';
import { CertificateRepository, InsertOutcome, NewCertificate } from './certificate.repository';

/** How long the first certificate of a group waits for others (a bound on the added latency). */
const WINDOW_MS = 8;
const MAX_BATCH = 32;

export interface CertificateWrite {
  filename: string;
  pdf: Buffer;
  metadata: Record<string, unknown>;
  /** Everything but the PDF's file id, which the store assigns. */
  certificate: Omit<NewCertificate, 'pdfFileId'>;
}

export interface CertificateWriteResult {
  pdfFileId: Types.ObjectId;
  outcome: InsertOutcome;
}

interface Pending {
  write: CertificateWrite;
  resolve(result: CertificateWriteResult): void;
  reject(error: unknown): void;
}

@Injectable()
export class CertificateWriteBatcher {
  private pending: Pending[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly pdfs: CertificatePdfStore,
    private readonly repository: CertificateRepository,
  ) {}

  write(write: CertificateWrite): Promise<CertificateWriteResult> {
    return new Promise<CertificateWriteResult>((resolve, reject) => {
      this.pending.push({ write, resolve, reject });
      if (this.pending.length >= MAX_BATCH) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), WINDOW_MS);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const group = this.pending.splice(0);
    if (group.length) void this.store(group);
  }

  private async store(group: Pending[]): Promise<void> {
    try {
      const fileIds = await this.pdfs.insertMany(group.map(({ write }) => write));
      const outcomes = await this.repository.insertMany(
        group.map(({ write }, i) => ({ ...write.certificate, pdfFileId: fileIds[i]! })),
      );
      group.forEach((p, i) => p.resolve({ pdfFileId: fileIds[i]!, outcome: outcomes[i]! }));
    } catch (error) {
      // Every job of the group retries; what was stored is found (certificate) or removed (PDF) then.
      for (const p of group) p.reject(error);
    }
  }
}
