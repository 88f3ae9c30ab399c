/**
 * bench:certificates:profile — where one certificate's time goes, stage by stage, in this process
 * (no worker, no queue concurrency): the same calls the worker makes, one after another, N times,
 * against MONGODB_URI / REDIS_URL. Prints mean and p95 per stage and the CPU time of the render.
 *
 *   npm run bench:certificates:profile -- [count=200]
 *
 * Stages: QR (the matrix), render (the whole PDF, QR included; `prepared` is the template path the
 * worker uses, `pdfkit` the full drawing of every page), sha256, GridFS upload, database (the
 * certificate lookup by _id, the participant lookup, the counter $inc, the certificate insert),
 * queue (the job's reservation save and the notification enqueue, BullMQ over Redis).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Queue } from 'bullmq';
import mongoose, { mongo, Types } from 'mongoose';
import QRCode from 'qrcode';
import {
  Certificate,
  certificateObjectId,
  CertificateCounter,
  CertificateCounterSchema,
  CertificateSchema,
  User,
  UserSchema,
} from '@balai/database';
import { CERTIFICATE_PDF_BUCKET } from '@balai/queue';
import {
  CertificateAssets,
  CertificateSettings,
  drawCertificate,
} from '../../apps/worker/src/certificates/certificate.drawing';
import { CertificateTemplate } from '../../apps/worker/src/certificates/certificate.template';
import type { CertificateDocumentData } from '../../apps/worker/src/certificates/certificate-document';

const count = Number(process.argv[2] ?? 200);

const settings: CertificateSettings = {
  issuerName: 'Dinas Perindustrian Kabupaten Bekasi',
  signatoryTitle: 'Kepala Dinas Perindustrian',
  signatoryName: 'Nama Kepala Dinas',
  signatoryNip: '19700101 199003 1 001',
};
const assets: CertificateAssets = {
  regular: readFileSync('/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf'),
  bold: readFileSync('/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf'),
};

function data(i: number): CertificateDocumentData {
  return {
    number: `${String(i).padStart(4, '0')}/PKM-PROF/DISPERIN/2026`,
    verificationUrl: `https://balai.test/verify/${randomBytes(16).toString('base64url')}`,
    participantName: `Peserta ${randomBytes(3).toString('hex')} ${i}`,
    businessName: 'CV Kerajinan Bambu Lestari',
    courseTitle: 'Pelatihan Pengemasan Produk Pangan Olahan',
    courseType: 'pelatihan',
    dateRange: '3 s.d. 5 Maret 2026',
    lessonHours: 24,
    placeAndDate: 'Cikarang, 6 Maret 2026',
  };
}

const stages = new Map<string, number[]>();
async function timed<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  const t = process.hrtime.bigint();
  const value = await fn();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  (stages.get(name) ?? stages.set(name, []).get(name)!).push(ms);
  return value;
}

async function main(): Promise<void> {
  const suffix = randomBytes(4).toString('hex');
  const uri = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027/balai');
  uri.pathname = `/balai_profile_${suffix}`;
  const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6390');
  const connection = await mongoose.createConnection(uri.toString()).asPromise();
  const certificates = connection.model(Certificate.name, CertificateSchema);
  const counters = connection.model(CertificateCounter.name, CertificateCounterSchema);
  const users = connection.model(User.name, UserSchema);
  await certificates.syncIndexes();
  const bucket = new mongo.GridFSBucket(connection.db!, { bucketName: CERTIFICATE_PDF_BUCKET });
  const queue = new Queue('profile', {
    connection: { host: redis.hostname, port: Number(redis.port || 6379) },
    prefix: `profile_${suffix}`,
  });
  const template = new CertificateTemplate(settings, assets);
  const courseId = new Types.ObjectId();
  const userIds = Array.from({ length: count }, () => new Types.ObjectId());
  await users.insertMany(
    userIds.map((_id, i) => ({
      _id,
      email: `p-${suffix}-${i}@example.id`,
      name: `Peserta ${i}`,
      role: 'participant',
      passwordHash: 'x',
    })),
    { lean: true },
  );
  try {
    // Warm-up (fonts parsed, JIT), not counted.
    for (let i = 0; i < 5; i += 1) {
      await drawCertificate(data(i), settings, assets);
      await template.render(data(i));
    }
    stages.clear();
    let cpuPdfkit = 0;
    let cpuPrepared = 0;
    for (let i = 0; i < count; i += 1) {
      const d = data(i);
      await timed('QR matrix (qrcode)', () => QRCode.create(d.verificationUrl, { errorCorrectionLevel: 'M' }));
      let c = process.cpuUsage();
      await timed('render: pdfkit, every page drawn', () => drawCertificate(d, settings, assets));
      cpuPdfkit += process.cpuUsage(c).user + process.cpuUsage(c).system;
      c = process.cpuUsage();
      const pdf = await timed('render: prepared template', () => template.render(d));
      cpuPrepared += process.cpuUsage(c).user + process.cpuUsage(c).system;
      const userId = userIds[i]!;
      await timed('db: certificate by _id', () => certificates.findById(certificateObjectId(courseId, userId)).lean());
      await timed('db: participant by _id', () => users.findById(userId, { name: 1, email: 1 }).lean());
      const seq = await timed('db: counter $inc', () =>
        counters
          .findOneAndUpdate({ _id: `${courseId.toString()}:2026` }, { $inc: { seq: 1 } }, { upsert: true, new: true })
          .lean(),
      );
      const sha = await timed('sha256', () => createHash('sha256').update(pdf).digest('hex'));
      const fileId = await timed('gridfs upload', async () => {
        const up = bucket.openUploadStream(`certificate-${courseId.toString()}-${userId.toString()}.pdf`, {
          metadata: { contentType: 'application/pdf' },
        });
        await new Promise<void>((resolve, reject) => {
          up.once('finish', () => resolve());
          up.once('error', reject);
          up.end(pdf);
        });
        return up.id as Types.ObjectId;
      });
      await timed('db: certificate insert (3 unique indexes)', () =>
        certificates.create({
          _id: certificateObjectId(courseId, userId),
          courseId,
          userId,
          number: `${String(seq!.seq).padStart(4, '0')}/PKM-PROF/DISPERIN/2026`,
          verificationCode: randomBytes(16).toString('base64url'),
          issuedAt: new Date(),
          pdfSha256: sha,
          pdfFileId: fileId,
          participantName: d.participantName,
          courseTitle: d.courseTitle,
          status: 'valid',
        }),
      );
      await timed('queue: notification enqueue', () =>
        queue.add('certificate-issued', { certificateId: userId.toString() }, { jobId: `n-${userId.toString()}` }),
      );
    }
    const rows = [...stages].map(([name, values]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return `${name.padEnd(44)} mean ${mean.toFixed(2).padStart(7)} ms   p95 ${sorted[Math.ceil(0.95 * sorted.length) - 1]!.toFixed(2).padStart(7)} ms`;
    });
    const pdfkitPdf = await drawCertificate(data(1), settings, assets);
    const preparedPdf = await template.render(data(1));
    process.stdout.write(
      [
        `profile of ${count} certificates, one at a time (${uri.host})`,
        ...rows,
        `render CPU per certificate: pdfkit ${(cpuPdfkit / count / 1000).toFixed(2)} ms, prepared ${(cpuPrepared / count / 1000).toFixed(2)} ms`,
        `PDF size: pdfkit ${(pdfkitPdf.length / 1024).toFixed(1)} KiB, prepared ${(preparedPdf.length / 1024).toFixed(1)} KiB`,
        `host: ${cpus().length} CPUs, load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      ].join('\n') + '\n',
    );
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
