import './support/env';
import type { Page } from 'playwright-core';
import { Types } from 'mongoose';
import { AttendanceInterval, Certificate, CourseSession } from '@balai/database';
import { createCourse, createSession, createUser, enrolDirect, inDays, model } from '../../support/factories';
import { useWebStack } from './support/stack';
import { LAPTOP, PHONE, screenshotDir, shot, signIn, trackErrors } from './support/web';

/**
 * The rough edges of issue 9 found walking the journey as a new admin, trainer
 * and participant, each in a real Chromium against the real API: my status on
 * the course page and cancelling, a finished course without "Daftar", every
 * lifecycle step, reports whose columns agree on a data set with known counts,
 * the eligibility list with attendance and reasons, the warning while the
 * certificate signatory is a placeholder, the calendar on a phone, and
 * the trainer's closed "Mulai sesi" and way home from the room's end screen.
 * Screenshots: test-output/screenshots/web-rough-edges/.
 */
jest.setTimeout(120_000);

const HOUR = 3600_000;

/** No sideways scrolling on the page (a 360 px phone must not scroll horizontally). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('web client: rough edges of the first pilot (Chromium, real API)', () => {
  const stack = useWebStack();
  const shots = screenshotDir('web-rough-edges');

  async function phonePage(email: string): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
    const context = await stack.newContext({ viewport: PHONE });
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    const errors = trackErrors(page);
    await signIn(page, stack.api.url, email);
    return { page, errors, close: () => context.close() };
  }

  it('shows my enrolment on the course page, leads to Kelas saya, cancels, and updates seats at once', async () => {
    const course = await createCourse(stack.api.app, { title: 'Foto Produk dengan Ponsel', capacity: 2 });
    await createSession(stack.api.app, course.id, inDays(3, 2));
    const me = await createUser(stack.api.app, 'participant', { name: 'Sri Rahayu' });
    const { page, errors, close } = await phonePage(me.email);
    await page.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    await page.goto(`${stack.api.url}/#/kursus/${course.id}`);
    await page.getByTestId('seats').filter({ hasText: 'Sisa kursi: 2' }).waitFor();

    await page.getByRole('button', { name: 'Daftar', exact: true }).click();
    await page.locator('[data-testid=my-enrolment][data-status=enrolled]').waitFor();
    await page.getByTestId('seats').filter({ hasText: 'Sisa kursi: 1' }).waitFor();
    expect(await page.getByRole('button', { name: 'Daftar', exact: true }).count()).toBe(0);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await shot(page, shots, '01-course-page-enrolled-phone');

    // The status survives a reload (it comes from the server, not from the click).
    await page.reload();
    await page.locator('[data-testid=my-enrolment][data-status=enrolled]').waitFor();
    await page.getByRole('link', { name: 'Buka di Kelas saya' }).click();
    await page.waitForURL(new RegExp(`#/kelas/${course.id}$`));
    await page.getByRole('heading', { name: 'Foto Produk dengan Ponsel' }).waitFor();

    await page.goto(`${stack.api.url}/#/kursus/${course.id}`);
    await page.getByRole('button', { name: 'Batalkan pendaftaran' }).click();
    await page.getByText('Pendaftaran Anda dibatalkan.').waitFor();
    await page.getByTestId('seats').filter({ hasText: 'Sisa kursi: 2' }).waitFor();
    await page.getByRole('button', { name: 'Daftar', exact: true }).waitFor();
    await shot(page, shots, '02-course-page-cancelled-phone');
    expect(errors).toEqual([]);
    await close();
  });

  it('puts me on the waitlist with my position and lets me leave it', async () => {
    const course = await createCourse(stack.api.app, { title: 'Kelas Penuh Batik Tulis', capacity: 1 });
    await createSession(stack.api.app, course.id, inDays(3, 2));
    const seated = await createUser(stack.api.app, 'participant');
    await enrolDirect(stack.api.app, course.id, seated.id);
    const me = await createUser(stack.api.app, 'participant');
    const { page, errors, close } = await phonePage(me.email);
    await page.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    await page.goto(`${stack.api.url}/#/kursus/${course.id}`);
    await page.getByRole('button', { name: 'Daftar', exact: true }).click();
    await page
      .locator('[data-testid=my-enrolment][data-status=waitlisted]')
      .getByText('daftar tunggu nomor 1')
      .waitFor();
    await shot(page, shots, '03-course-page-waitlisted-phone');
    await page.getByRole('button', { name: 'Keluar dari daftar tunggu' }).click();
    await page.getByText('Anda sudah keluar dari daftar tunggu.').waitFor();
    await page.getByRole('button', { name: 'Daftar', exact: true }).waitFor();
    expect(errors).toEqual([]);
    await close();
  });

  it('shows the next session on the catalogue card, not a past one', async () => {
    const course = await createCourse(stack.api.app, { title: 'Kartu Katalog Sesi Berikutnya' });
    await createSession(stack.api.app, course.id, inDays(-2, 2));
    await createSession(stack.api.app, course.id, inDays(4, 2));
    const context = await stack.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${stack.api.url}/#/`);
    const card = page.locator('.course-card', { hasText: 'Kartu Katalog Sesi Berikutnya' });
    await card.getByTestId('next-session').waitFor();
    const next = inDays(4, 2);
    const day = new Intl.DateTimeFormat('id-ID', { timeZone: 'Asia/Jakarta', day: 'numeric', month: 'long' }).format(
      next,
    );
    expect(await card.getByTestId('next-session').innerText()).toContain(day);
    expect(await card.getByTestId('next-session').innerText()).toContain('09:00–11:00 WIB');
    await card.scrollIntoViewIfNeeded();
    await shot(page, shots, '00-catalogue-next-session-phone');
    await context.close();
  });

  it('shows a course whose sessions are over as finished, without "Daftar"', async () => {
    const course = await createCourse(stack.api.app, { title: 'Pelatihan yang Sudah Lewat' });
    await createSession(stack.api.app, course.id, inDays(-3, 2));
    const me = await createUser(stack.api.app, 'participant');
    const { page, errors, close } = await phonePage(me.email);
    await page.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    await page.goto(`${stack.api.url}/#/kursus/${course.id}`);
    await page.getByTestId('course-over').waitFor();
    expect(await page.getByRole('button', { name: 'Daftar', exact: true }).count()).toBe(0);
    await shot(page, shots, '04-course-over-phone');
    expect(errors).toEqual([]);
    await close();
  });

  it('lets the admin take a course through every lifecycle step up to completed', async () => {
    const admin = await createUser(stack.api.app, 'admin');
    const context = await stack.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    const errors = trackErrors(page);
    await signIn(page, stack.api.url, admin.email);
    await page.getByRole('heading', { name: 'Administrasi' }).waitFor();

    // Sessions still to come: publish, then "Tandai berlangsung"; "Tandai selesai" waits for the end.
    const upcoming = await createCourse(stack.api.app, { title: 'Siklus Hidup Pelatihan', status: 'draft' });
    await createSession(stack.api.app, upcoming.id, inDays(2, 2));
    await page.goto(`${stack.api.url}/#/admin/kursus/${upcoming.id}`);
    await page.getByTestId('course-status').filter({ hasText: 'Draf' }).waitFor();
    expect(await page.getByTestId('edit-course').innerText()).toContain('Ubah pelatihan');
    await page.getByTestId('publish').click();
    await page.getByTestId('course-status').filter({ hasText: 'Dibuka' }).waitFor();
    expect(await page.getByTestId('status-completed').count()).toBe(0);
    await page.getByTestId('status-ongoing').click();
    await page.getByTestId('course-status').filter({ hasText: 'Berlangsung' }).waitFor();
    await page.getByTestId('status-completed').waitFor();

    // Every session held: the admin marks the published course completed in one step.
    const held = await createCourse(stack.api.app, { title: 'Pelatihan Sudah Terlaksana' });
    await createSession(stack.api.app, held.id, inDays(-1, 2));
    await page.goto(`${stack.api.url}/#/admin/kursus/${held.id}`);
    await page.getByTestId('course-status').filter({ hasText: 'Dibuka' }).waitFor();
    await page.getByTestId('status-completed').click();
    await page.getByTestId('course-status').filter({ hasText: 'Selesai' }).waitFor();
    await page.getByText('Status pelatihan sekarang: Selesai.').waitFor();
    expect(await page.getByTestId('lifecycle').getByRole('button').allInnerTexts()).toEqual(['✎ Ubah pelatihan']);
    expect(await page.getByTestId('add-session').count()).toBe(0); // no new sessions for a completed course
    await shot(page, shots, '05-admin-course-completed');
    const res = await fetch(`${stack.api.url}/api/courses/${held.id}`, { headers: admin.auth });
    expect(((await res.json()) as { status: string }).status).toBe('completed');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reports per kecamatan agree with a seeded data set whose counts are known', async () => {
    // Setu: Ani (A 100%, B 100%, certified in A), Budi (A 50%), Citra (A, never came).
    // Babelan: Dedi (A never came, B 90%).  Threshold 80% in both courses.
    const intervals = model<AttendanceInterval>(stack.api.app, AttendanceInterval.name);
    const sessions = model<CourseSession>(stack.api.app, CourseSession.name);
    const certificates = model<Certificate>(stack.api.app, Certificate.name);
    const courseA = await createCourse(stack.api.app, { title: 'Laporan A', status: 'completed' });
    const courseB = await createCourse(stack.api.app, { title: 'Laporan B', status: 'completed' });
    const sessionA = await createSession(stack.api.app, courseA.id, new Date(Date.now() - 72 * HOUR), 120);
    const sessionB = await createSession(stack.api.app, courseB.id, new Date(Date.now() - 48 * HOUR), 120);
    await sessions.updateMany(
      { _id: { $in: [sessionA.id, sessionB.id].map((id) => new Types.ObjectId(id)) } },
      { $set: { status: 'ended' } },
    );
    const person = (name: string, kecamatan: string) =>
      createUser(stack.api.app, 'participant', { name, kecamatan, sector: 'craft' });
    const [ani, budi, citra, dedi] = [
      await person('Ani', 'Setu'),
      await person('Budi', 'Setu'),
      await person('Citra', 'Setu'),
      await person('Dedi', 'Babelan'),
    ];
    for (const [course, users] of [
      [courseA, [ani, budi, citra, dedi]],
      [courseB, [ani, dedi]],
    ] as const) {
      for (const u of users) await enrolDirect(stack.api.app, course.id, u!.id);
    }
    const attend = async (courseId: string, s: { id: string; startsAt: Date }, userId: string, minutes: number) =>
      intervals.create({
        sessionId: new Types.ObjectId(s.id),
        courseId: new Types.ObjectId(courseId),
        userId: new Types.ObjectId(userId),
        joinEventId: `join-${userId}-${s.id}`,
        joinedAt: s.startsAt,
        leftAt: new Date(s.startsAt.getTime() + minutes * 60_000),
      });
    await attend(courseA.id, sessionA, ani!.id, 120);
    await attend(courseB.id, sessionB, ani!.id, 120);
    await attend(courseA.id, sessionA, budi!.id, 60);
    await attend(courseB.id, sessionB, dedi!.id, 108);
    await certificates.create({
      courseId: new Types.ObjectId(courseA.id),
      userId: new Types.ObjectId(ani!.id),
      number: `0001/${courseA.code}/DISPERIN/2026`,
      verificationCode: `rep${Date.now()}`,
      issuedAt: new Date(),
      pdfSha256: '0'.repeat(64),
      pdfFileId: new Types.ObjectId(),
      status: 'valid',
      participantName: 'Ani',
      courseTitle: 'Laporan A',
    });

    const admin = await createUser(stack.api.app, 'admin');
    const context = await stack.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    const errors = trackErrors(page);
    await signIn(page, stack.api.url, admin.email);
    await page.getByRole('heading', { name: 'Administrasi' }).waitFor();
    // A fresh install's signatory is a placeholder: the admin screens say so.
    await page.getByTestId('signatory-warning').waitFor();
    expect(await page.getByTestId('signatory-warning').innerText()).toContain(
      'CERT_SIGNATORY_NAME, CERT_SIGNATORY_NIP',
    );
    await shot(page, shots, '06a-admin-signatory-warning');
    await page.goto(`${stack.api.url}/#/admin/laporan`);
    const table = page.getByTestId('report-kecamatan');
    await table.getByRole('cell', { name: 'Setu', exact: true }).waitFor();
    const row = async (kecamatan: string) =>
      (
        await table
          .locator('tbody tr', { has: page.getByRole('cell', { name: kecamatan, exact: true }) })
          .locator('td')
          .allInnerTexts()
      )
        .slice(1)
        .map(Number);
    // Peserta, Hadir minimal sekali, Memenuhi syarat, Bersertifikat (people), Pendaftaran (enrolments).
    expect(await row('Setu')).toEqual([3, 2, 1, 1, 4]);
    expect(await row('Babelan')).toEqual([1, 1, 1, 0, 2]);
    for (const tr of await table.locator('tbody tr').all()) {
      const [people, attended, met, certified] = (await tr.locator('td').allInnerTexts()).slice(1).map(Number) as [
        number,
        number,
        number,
        number,
      ];
      expect(attended).toBeLessThanOrEqual(people);
      expect(met).toBeLessThanOrEqual(people);
      expect(certified).toBeLessThanOrEqual(people);
    }
    await shot(page, shots, '06-admin-reports-consistent');

    // The certificate panel of course A lists every participant with attendance and the reason.
    await page.goto(`${stack.api.url}/#/admin/kursus/${courseA.id}`);
    const eligibility = page.getByTestId('eligibility');
    await eligibility.getByRole('cell', { name: 'Budi' }).waitFor();
    const rowText = (name: string) =>
      eligibility.locator('tbody tr', { has: page.getByRole('cell', { name, exact: true }) }).innerText();
    expect(await rowText('Budi')).toContain('60 dari 120 menit (50%)');
    expect(await rowText('Budi')).toContain('Kehadiran 50%, di bawah minimal 80%');
    expect(await rowText('Citra')).toContain('0,0 dari 120 menit (0%)');
    expect(await rowText('Ani')).toContain('Sertifikat SAH');
    await page.getByRole('heading', { name: /Kelayakan sertifikat/ }).scrollIntoViewIfNeeded();
    await shot(page, shots, '07-admin-eligibility-with-reasons');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the admin calendar on a 360 px phone as a readable list naming each course', async () => {
    const admin = await createUser(stack.api.app, 'admin');
    const course = await createCourse(stack.api.app, { title: 'Kopi Bekasi untuk Ekspor' });
    // A day inside the current WIB month, so the calendar opens on it.
    const wibDay = new Date(Date.now() + 7 * HOUR).getUTCDate();
    const startsAt = inDays(wibDay <= 25 ? 2 : -2, 3);
    await createSession(stack.api.app, course.id, startsAt, 90);
    const { page, errors, close } = await phonePage(admin.email);
    await page.getByRole('heading', { name: 'Administrasi' }).waitFor();
    await page.goto(`${stack.api.url}/#/admin/kalender`);
    const agenda = page.getByTestId('agenda');
    await agenda.getByText('Kopi Bekasi untuk Ekspor').waitFor();
    expect(await page.locator('.calendar').isVisible()).toBe(false);
    expect(await agenda.innerText()).toMatch(/10:00–11:30 WIB/);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await shot(page, shots, '08-admin-calendar-phone');
    await agenda.getByRole('link', { name: /Kopi Bekasi untuk Ekspor/ }).click();
    await page.getByRole('heading', { name: 'Kopi Bekasi untuk Ekspor' }).waitFor();
    expect(errors).toEqual([]);
    await close();
  });

  it("tells the trainer when Mulai sesi opens, and sends the room's way back to the trainer's page, not a 403", async () => {
    const trainer = await createUser(stack.api.app, 'trainer', { name: 'Bu Ratna Pelatih' });
    const course = await createCourse(stack.api.app, { title: 'Pengemasan Sambal', trainerIds: [trainer.id] });
    const session = await createSession(stack.api.app, course.id, inDays(2, 2), 120, [trainer.id]);
    const { page, errors, close } = await phonePage(trainer.email);
    await page.getByRole('heading', { name: 'Kelas yang saya ajar' }).waitFor();
    await page.getByRole('link', { name: 'Pengemasan Sambal' }).click();
    const button = page.getByTestId(`go-live-${session.id}`);
    await button.waitFor();
    expect(await button.isDisabled()).toBe(true);
    // Opens 30 minutes before the start: 08:30 WIB for a 09:00 WIB (02:00 UTC) session.
    expect(await page.getByTestId(`go-live-opens-${session.id}`).innerText()).toMatch(
      /^Bisa dimulai mulai .+, 08:30 WIB$/,
    );
    await shot(page, shots, '09-trainer-go-live-closed-phone');

    // The live room's end screen links to "Kelas saya"; a trainer lands on their own page.
    await page.goto(`${stack.api.url}/#/kelas`);
    await page.waitForURL(/#\/pelatih$/);
    await page.getByRole('heading', { name: 'Kelas yang saya ajar' }).waitFor();
    await page.goto(`${stack.api.url}/#/kelas/${course.id}`);
    await page.waitForURL(new RegExp(`#/pelatih/kursus/${course.id}$`));
    await page.getByRole('heading', { name: 'Pengemasan Sambal' }).waitFor();
    expect(await page.getByText('Anda tidak memiliki akses').count()).toBe(0);
    expect(errors).toEqual([]);
    await close();
  });
});
