/**
 * Reports on the demo data set (infra/seed), whose counts are known by
 * construction: in every row the people columns ("Hadir minimal sekali",
 * "Memenuhi syarat", "Bersertifikat") never exceed "Terdaftar" (participants),
 * because each counts people the same way; enrolment columns count enrolments.
 *
 * Seeded (see infra/seed/seed.ts): participant i is peserta(i+1).
 * - PKM-2026-01 completed, 3 past sessions, participants 0..24 enrolled; by place k in line:
 *   k % 8 == 7 absent (3), k % 8 == 5 stays 50 of 120 minutes (3), the rest >= 95%.
 * - PKM-2026-02 ongoing, 2 past + 2 coming sessions, participants 15..34 enrolled, 35..37
 *   waitlisted; attendance only in the past two (at most 50% of the course): k % 8 == 7 absent (2).
 * - SOS-2026-03 published, 1 coming session, participants 28..39 enrolled; no attendance yet.
 * - PKM-2026-04 draft, nobody.
 */
import request from 'supertest';
import { seed } from '../../../infra/seed/seed';
import { RunningApp, startApiApp } from '../../support/api-app';
import { createUser, TestUser } from '../../support/factories';

// Seeding writes a few hundred documents one by one: minutes on FerretDB on a loaded machine.
jest.setTimeout(600_000);

interface Row {
  group: string;
  participants: number;
  enrollments: number;
  attendedAtLeastOnce: number;
  metThreshold: number;
  certified: number;
  enrollmentsAttended: number;
  enrollmentsMetThreshold: number;
  enrollmentsCertified: number;
}

const sum = (rows: Row[], key: keyof Row) => rows.reduce((n, r) => n + (r[key] as number), 0);

describe('reports on the seeded demo data', () => {
  let sut: RunningApp;
  let admin: TestUser;
  beforeAll(async () => {
    await seed(process.env.MONGODB_URI!);
    sut = await startApiApp();
    admin = await createUser(sut.app, 'admin');
  });
  afterAll(() => sut?.close());

  it('per course: the known enrolled, waitlisted, attended and met counts', async () => {
    const res = await request(sut.url).get('/api/reports/courses').set(admin.auth).expect(200);
    const byCode = new Map(res.body.map((c: { code: string }) => [c.code, c]));
    expect(byCode.get('PKM-2026-01')).toMatchObject({
      enrolled: 25,
      waitlisted: 0,
      attendedAtLeastOnce: 22,
      metThreshold: 19,
      certified: 0,
      minAttendancePercent: 80,
    });
    expect(byCode.get('PKM-2026-02')).toMatchObject({
      enrolled: 20,
      waitlisted: 3,
      attendedAtLeastOnce: 18,
      metThreshold: 0,
      certified: 0,
    });
    expect(byCode.get('SOS-2026-03')).toMatchObject({
      enrolled: 12,
      waitlisted: 0,
      attendedAtLeastOnce: 0,
      metThreshold: 0,
    });
    expect(byCode.get('PKM-2026-04')).toMatchObject({ enrolled: 0, attendedAtLeastOnce: 0 });
  });

  it.each(['kecamatan', 'sector'])(
    'by %s: people columns never exceed participants, and the totals are the known ones',
    async (groupBy) => {
      const res = await request(sut.url)
        .get(`/api/reports/participation?groupBy=${groupBy}`)
        .set(admin.auth)
        .expect(200);
      const rows: Row[] = res.body.rows;
      for (const r of rows) {
        expect(r.attendedAtLeastOnce).toBeLessThanOrEqual(r.participants);
        expect(r.metThreshold).toBeLessThanOrEqual(r.participants);
        expect(r.certified).toBeLessThanOrEqual(r.participants);
        expect(r.participants).toBeLessThanOrEqual(r.enrollments);
        expect(r.enrollmentsAttended).toBeLessThanOrEqual(r.enrollments);
        expect(r.enrollmentsMetThreshold).toBeLessThanOrEqual(r.enrollmentsAttended);
      }
      // Each person has one kecamatan and one sector, so rows add up to distinct people.
      expect(sum(rows, 'participants')).toBe(40);
      expect(sum(rows, 'enrollments')).toBe(25 + 20 + 12);
      // Attended at least once somewhere: 0..34 except 7 (absent in PKM-2026-01 only) and 30 (absent in PKM-2026-02 only).
      expect(sum(rows, 'attendedAtLeastOnce')).toBe(33);
      expect(sum(rows, 'enrollmentsAttended')).toBe(22 + 18);
      expect(sum(rows, 'metThreshold')).toBe(19);
      expect(sum(rows, 'enrollmentsMetThreshold')).toBe(19);
      // Someone in two courses is counted twice only in the enrolment columns: at least one row shows it.
      expect(rows.some((r) => r.enrollmentsAttended > r.attendedAtLeastOnce)).toBe(true);
    },
  );

  it('the participation CSV carries the same columns', async () => {
    const csv = await request(sut.url)
      .get('/api/reports/participation.csv?groupBy=kecamatan')
      .set(admin.auth)
      .expect(200);
    expect(csv.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
      'kecamatan,label,participants,enrollments,attended_at_least_once,met_threshold,certified,enrollments_attended,enrollments_met_threshold,enrollments_certified',
    );
  });
});
