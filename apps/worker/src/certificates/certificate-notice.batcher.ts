/**
 * Queues the "certificate issued" email jobs of certificates stored together (one write group of
 * CertificateWriteBatcher finishes its jobs in the same turn of the event loop) with one `addBulk`,
 * one round trip to Redis instead of one per certificate. Each caller still waits until its own
 * email job is in Redis: a job completes only after that, so a crash before it leaves the job to a
 * retry, which finds the certificate and queues the email then (the job id makes it once).
 */
import { Injectable } from '@nestjs/common';
import { CertificateIssuedJob, NotificationProducer } from '@balai/queue';

interface Pending {
  notice: CertificateIssuedJob;
  resolve(): void;
  reject(error: unknown): void;
}

@Injectable()
export class CertificateNoticeBatcher {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(private readonly notifications: NotificationProducer) {}

  issued(notice: CertificateIssuedJob): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ notice, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // After the current turn: the other jobs of the same write group have arrived by then.
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.scheduled = false;
    const group = this.pending.splice(0);
    this.notifications.certificatesIssued(group.map((p) => p.notice)).then(
      () => group.forEach((p) => p.resolve()),
      (error: unknown) => group.forEach((p) => p.reject(error)),
    );
  }
}
