/**
 * Certificates end to end, in one process: the real API (HTTP) and the real
 * worker app, against FerretDB, Redis and a real SMTP server (smtp-server).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Types } from 'mongoose';
import jsQR from 'jsqr';
import pdfParse from 'pdf-parse';
import { PNG } from 'pngjs';
import { CERTIFICATE_JOBS, certificateJobId, QUEUES } from '@balai/queue';
import type { RunningApp } from '../../support/api-app';
import {
  addParticipants,
  connectDb,
  createAdmin,
  createFinishedCourse,
  Db,
  SeededCourse,
} from '../../support/db-factories';
import { mailText, SmtpSink } from '../../support/smtp-sink';
import { accessToken } from '../../support/tokens';
import { waitFor } from '../../support/wait';

jest.setTimeout(120_000);

/** The schemas declare ids with `Types.ObjectId`, which mongoose does not cast from strings: query with ObjectIds. */
const oid = (id: string) => new Types.ObjectId(id);

const PUBLIC_BASE_URL = 'https://balai.test';

describe('certificates: issue, PDF, email, verification, admin', () => {
  const smtp = new SmtpSink(/^bounce-/);
  let db: Db;
  let api: RunningApp;
  let worker: INestApplication;
  let course: SeededCourse;
  let ids: { full: string; below: string; enough: string; bounce: string; left: string };
  let admin: string;
  let adminToken: string;

  const http = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${api.url}/api${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.headers ?? {}),
      },
    });

  beforeAll(async () => {
    process.env.SMTP_URL = await smtp.start();
    process.env.PUBLIC_BASE_URL = PUBLIC_BASE_URL;
    process.env.VERIFY_RATE_LIMIT_PER_MINUTE = '12';
    process.env.WORKER_CONCURRENCY = '2';
    db = await connectDb();
    // Imported after the environment is set: config is validated when the module is loaded.
    const { Test } = await import('@nestjs/testing');
    const { WorkerModule } = await import('../../../apps/worker/src/worker.module');
    const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    worker = moduleRef.createNestApplication({ logger: false });
    await worker.init();
    const { startApiApp } = await import('../../support/api-app');
    api = await startApiApp();

    course = await createFinishedCourse(db, { title: 'Pelatihan Pengemasan Produk Pangan Olahan untuk Pasar Ekspor' });
    const [full, below, enough, bounce, left] = await addParticipants(db, course, [
      {
        name: 'Ñoman Śuryadi Nguyễn Çahyono',
        businessName:
          'CV Kerajinan Bambu dan Anyaman Pandan Lestari Sejahtera Abadi Makmur Jaya Sentosa Kabupaten Bekasi',
        attendancePercent: 100,
      },
      { attendancePercent: 50 },
      { attendancePercent: 85 },
      { attendancePercent: 100, email: 'bounce-me@example.id' },
      { attendancePercent: 100, enrollment: 'cancelled' },
    ]);
    ids = { full: full!, below: below!, enough: enough!, bounce: bounce!, left: left! };
    admin = await createAdmin(db);
    adminToken = accessToken(admin, 'admin', 'Admin');
  });

  afterAll(async () => {
    await api?.close();
    const queues = [QUEUES.certificates, QUEUES.notifications].map((name) => worker?.get<Queue>(getQueueToken(name)));
    for (const q of queues) await q?.obliterate({ force: true }).catch(() => undefined);
    await worker?.close();
    await smtp.stop();
    await db?.close();
  });

  const progress = async () =>
    (await (await http(`/courses/${course.id}/certificates/issue`, { token: adminToken })).json()) as Record<
      string,
      unknown
    > & {
      state: string;
      failures: Array<{ userId: string; reason: string }>;
    };

  it('enqueues only eligible, still-enrolled participants and issues exactly their certificates', async () => {
    const res = await http(`/courses/${course.id}/certificates/issue`, { method: 'POST', token: adminToken });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { enqueued: number; notEligible: Array<{ userId: string; reason: string }> };
    expect(body.enqueued).toBe(3);
    expect(body.notEligible).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: ids.below, reason: 'BELOW_THRESHOLD', attendancePercent: 50 }),
      ]),
    );
    await waitFor(async () => (await progress()).state === 'done', 60_000, 'batch done');
    const certs = await db.certificates.find({ courseId: oid(course.id) }).lean();
    expect(certs.map((c) => c.userId.toString()).sort()).toEqual([ids.full, ids.enough, ids.bounce].sort());
    expect(new Set(certs.map((c) => c.number)).size).toBe(3);
    expect(certs.map((c) => c.number).sort()).toEqual(
      [1, 2, 3].map((n) => `${String(n).padStart(4, '0')}/${course.code}/DISPERIN/${new Date().getFullYear()}`),
    );
    for (const c of certs) expect(Buffer.from(c.verificationCode, 'base64url')).toHaveLength(16);
  });

  it('enqueuing again, or the same job again, makes no second certificate', async () => {
    const res = await http(`/courses/${course.id}/certificates/issue`, { method: 'POST', token: adminToken });
    expect(((await res.json()) as { enqueued: number }).enqueued).toBe(0);
    const queue = worker.get<Queue>(getQueueToken(QUEUES.certificates));
    // Force a fresh job with the same payload (as after the completed job was cleaned up).
    const again = await queue.add(
      CERTIFICATE_JOBS.issue,
      { courseId: course.id, userId: ids.full, requestedBy: 'test' },
      { jobId: `again-${ids.full}` },
    );
    await waitFor(async () => (await again.getState()) === 'completed', 30_000, 'duplicate job to complete');
    expect(await db.certificates.countDocuments({ courseId: oid(course.id), userId: oid(ids.full) })).toBe(1);
    expect(await db.certificates.countDocuments({ courseId: oid(course.id) })).toBe(3);
  });

  it('a job for a participant below the threshold fails with the reason, visible to admins, and issues nothing', async () => {
    const queue = worker.get<Queue>(getQueueToken(QUEUES.certificates));
    await queue.add(
      CERTIFICATE_JOBS.issue,
      { courseId: course.id, userId: ids.below, requestedBy: 'test' },
      { jobId: certificateJobId(course.id, ids.below) },
    );
    await waitFor(async () => (await progress()).failures.length === 1, 30_000, 'failure to be visible');
    const p = await progress();
    expect(p.failures[0]).toMatchObject({ userId: ids.below });
    expect(p.failures[0]!.reason).toMatch(/BELOW_THRESHOLD/);
    expect(p.state).toBe('failed');
    expect(await db.certificates.countDocuments({ userId: oid(ids.below) })).toBe(0);
    const retry = await http(`/courses/${course.id}/certificates/issue/retry`, { method: 'POST', token: adminToken });
    expect(await retry.json()).toEqual({ retried: 1 });
    await waitFor(async () => (await progress()).failures.length === 1, 30_000, 'retried job to fail again');
    expect(await db.certificates.countDocuments({ userId: oid(ids.below) })).toBe(0);
  });

  it('renders a PDF with the name, course and number, whose QR code opens the verification URL', async () => {
    const cert = (await db.certificates.findOne({ userId: oid(ids.full) }).lean())!;
    const res = await http(`/certificates/${cert._id.toString()}/pdf`, { token: accessToken(ids.full, 'participant') });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(cert.pdfSha256);

    const text = (await pdfParse(pdf)).text.replace(/\s+/g, ' ');
    expect(text).toContain('SERTIFIKAT');
    expect(text).toContain('Ñoman Śuryadi Nguyễn Çahyono');
    expect(text).toContain('Pelatihan Pengemasan Produk Pangan Olahan untuk Pasar Ekspor');
    expect(text).toContain(cert.number);
    expect(text).toContain('diberikan kepada');
    expect(text).toContain('24 JP');

    const dir = mkdtempSync(join(tmpdir(), 'balai-cert-'));
    try {
      writeFileSync(join(dir, 'c.pdf'), pdf);
      execFileSync('pdftoppm', ['-png', '-r', '150', '-singlefile', join(dir, 'c.pdf'), join(dir, 'page')]);
      const png = PNG.sync.read(readFileSync(join(dir, 'page.png')));
      const qr = jsQR(
        new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
        png.width,
        png.height,
      );
      expect(qr?.data).toBe(`${PUBLIC_BASE_URL}/verify/${cert.verificationCode}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('emails each holder the link; a refused address does not fail the certificate', async () => {
    const full = (await db.users.findById(ids.full).lean())!;
    const cert = (await db.certificates.findOne({ userId: oid(ids.full) }).lean())!;
    await waitFor(async () => smtp.to(full.email).length > 0, 30_000, 'certificate email');
    expect(smtp.to(full.email)).toHaveLength(1);
    expect(mailText(smtp.to(full.email)[0]!.raw)).toContain(`${PUBLIC_BASE_URL}/verify/${cert.verificationCode}`);
    expect(await db.certificates.countDocuments({ userId: oid(ids.bounce), status: 'valid' })).toBe(1);
    expect(smtp.to('bounce-me@example.id')).toHaveLength(0);
    const bounced = (await db.certificates.findOne({ userId: oid(ids.bounce) }).lean())!;
    expect(bounced.notifiedAt).toBeUndefined();
  });

  it('lets a participant list and download only their own certificates', async () => {
    const mine = await http('/me/certificates', { token: accessToken(ids.enough, 'participant') });
    const body = (await mine.json()) as { items: Array<{ id: string; userId: string }> };
    expect(body.items).toHaveLength(1);
    expect(body.items[0]!.userId).toBe(ids.enough);
    const other = (await db.certificates.findOne({ userId: oid(ids.full) }).lean())!;
    const denied = await http(`/certificates/${other._id.toString()}/pdf`, {
      token: accessToken(ids.enough, 'participant'),
    });
    expect(denied.status).toBe(404);
    const asParticipant = await http(`/courses/${course.id}/certificates/issue`, {
      method: 'POST',
      token: accessToken(ids.enough, 'participant'),
    });
    expect(asParticipant.status).toBe(403);
  });

  it('downloads all PDFs of the course as one ZIP', async () => {
    const res = await http(`/courses/${course.id}/certificates/zip`, { token: adminToken });
    expect(res.status).toBe(200);
    const zip = Buffer.from(await res.arrayBuffer());
    const dir = mkdtempSync(join(tmpdir(), 'balai-zip-'));
    try {
      writeFileSync(join(dir, 'all.zip'), zip);
      const listing = execFileSync('unzip', ['-l', join(dir, 'all.zip')]).toString();
      expect(listing.match(/\.pdf/g)).toHaveLength(3);
      execFileSync('unzip', ['-tq', join(dir, 'all.zip')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verifies publicly: valid, then revoked with the reason; unknown codes are 404', async () => {
    const cert = (await db.certificates.findOne({ userId: oid(ids.enough) }).lean())!;
    const valid = await http(`/certificates/verify/${cert.verificationCode}`);
    expect(valid.status).toBe(200);
    expect(await valid.json()).toMatchObject({
      status: 'valid',
      number: cert.number,
      participantName: cert.participantName,
      courseTitle: course.title,
      lessonHours: 24,
    });

    const revoke = await http(`/certificates/${cert._id.toString()}/revoke`, {
      method: 'POST',
      token: adminToken,
      body: JSON.stringify({ reason: 'Data kehadiran dikoreksi' }),
    });
    expect(revoke.status).toBe(200);
    const revoked = await http(`/certificates/verify/${cert.verificationCode}`);
    expect(await revoked.json()).toMatchObject({ status: 'revoked', revokedReason: 'Data kehadiran dikoreksi' });
    const twice = await http(`/certificates/${cert._id.toString()}/revoke`, {
      method: 'POST',
      token: adminToken,
      body: JSON.stringify({ reason: 'lagi lagi' }),
    });
    expect(twice.status).toBe(409);

    expect((await http('/certificates/verify/AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
  });

  it('rate-limits verification per client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 14; i += 1) statuses.push((await http('/certificates/verify/BBBBBBBBBBBBBBBBBBBBBB')).status);
    expect(statuses).toContain(429);
  });

  it('serves the queue dashboard to admins only', async () => {
    expect((await fetch(`${api.url}/api/admin/queues`)).status).toBe(401);
    expect(
      (
        await fetch(`${api.url}/api/admin/queues`, {
          headers: { authorization: `Bearer ${accessToken(ids.full, 'participant')}` },
        })
      ).status,
    ).toBe(403);
    const ok = await fetch(`${api.url}/api/admin/queues/api/queues`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(ok.status).toBe(200);
    const board = (await ok.json()) as { queues: Array<{ name: string }> };
    expect(board.queues.map((q) => q.name).sort()).toEqual([
      QUEUES.certificates,
      QUEUES.notifications,
      QUEUES.recordings,
    ]);
  });
});
