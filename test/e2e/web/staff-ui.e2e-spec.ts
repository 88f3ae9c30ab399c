import './support/env';
import { createCourse, createSession, createUser, enrolDirect, inDays } from '../../support/factories';
import { useWebStack } from './support/stack';
import { LAPTOP, PHONE, screenshotDir, shot, signIn, trackErrors } from './support/web';

/**
 * Trainer and administrator screens against the real API: materials upload and
 * download by the trainer (and seen by an enrolled participant), the admin's
 * roster with waitlist, calendar, trainers and the reports by sector/kecamatan.
 */
jest.setTimeout(90_000);

describe('web client: trainer and admin screens (Chromium, real API)', () => {
  const stack = useWebStack();
  const shots = screenshotDir('web-staff');

  it('lets a trainer upload a material that an enrolled participant can see', async () => {
    const trainer = await createUser(stack.api.app, 'trainer', { name: 'Bu Sari Pelatih' });
    const course = await createCourse(stack.api.app, { title: 'Desain Kemasan Produk', trainerIds: [trainer.id] });
    await createSession(stack.api.app, course.id, inDays(2, 2), 120, [trainer.id]);
    const participant = await createUser(stack.api.app, 'participant');
    await enrolDirect(stack.api.app, course.id, participant.id);

    const context = await stack.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    const errors = trackErrors(page);
    await signIn(page, stack.api.url, trainer.email);
    await page.getByRole('link', { name: 'Desain Kemasan Produk' }).click();
    await page.getByRole('heading', { name: 'Sesi' }).waitFor();
    await page.getByRole('button', { name: 'Mulai sesi' }).waitFor(); // closed until 30 min before the start
    expect(await page.getByRole('button', { name: 'Mulai sesi' }).isDisabled()).toBe(true);
    await page.getByLabel('Berkas materi').setInputFiles({
      name: 'modul-kemasan.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
    });
    await page.getByRole('button', { name: 'Unggah materi' }).click();
    await page.getByText('Materi berhasil diunggah.').waitFor();
    await page.getByText('modul-kemasan.pdf').waitFor();
    await shot(page, shots, '01-trainer-course-material');
    expect(errors).toEqual([]);
    await context.close();

    const phone = await stack.newContext({ viewport: PHONE });
    const p = await phone.newPage();
    await signIn(p, stack.api.url, participant.email);
    await p.getByRole('link', { name: 'Desain Kemasan Produk' }).click();
    await p.getByText('modul-kemasan.pdf').waitFor();
    const [download] = await Promise.all([
      p.waitForEvent('download'),
      p.getByRole('button', { name: 'Unduh' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('modul-kemasan.pdf');
    await shot(p, shots, '02-participant-course-materials-phone');
    await phone.close();
  });

  it('shows the admin roster with waitlist, the calendar, trainers and the reports', async () => {
    const admin = await createUser(stack.api.app, 'admin');
    const course = await createCourse(stack.api.app, { title: 'Kelas Kecil Ekspor', capacity: 1 });
    await createSession(stack.api.app, course.id, inDays(1, 3));
    const seated = await createUser(stack.api.app, 'participant', {
      name: 'Agus Seated',
      sector: 'craft',
      kecamatan: 'Setu',
    });
    await enrolDirect(stack.api.app, course.id, seated.id);
    const waiting = await createUser(stack.api.app, 'participant', { name: 'Wulan Menunggu' });
    const res = await fetch(`${stack.api.url}/api/courses/${course.id}/enrollments`, {
      method: 'POST',
      headers: waiting.auth,
    });
    expect(res.status).toBeLessThan(300);

    const context = await stack.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    const errors = trackErrors(page);
    await signIn(page, stack.api.url, admin.email);
    await page.getByRole('heading', { name: 'Administrasi' }).waitFor();
    await page.getByRole('link', { name: 'Kelas Kecil Ekspor' }).click();
    await page.getByRole('heading', { name: 'Peserta terdaftar (1/1)' }).waitFor();
    await page.getByRole('heading', { name: 'Daftar tunggu (1)' }).waitFor();
    await page.getByRole('cell', { name: 'Wulan Menunggu' }).waitFor();
    await shot(page, shots, '03-admin-course-roster');

    await page.goto(`${stack.api.url}/#/admin/kalender`);
    await page.locator('.calendar .ev').first().waitFor();
    await shot(page, shots, '04-admin-calendar');

    await page.goto(`${stack.api.url}/#/admin/pelatih`);
    await page.getByLabel('Nama').fill('Pak Hendra Pelatih');
    await page.getByLabel('Email').fill(`hendra.${Date.now()}@disperin.test`);
    await page.getByLabel('Kata sandi').fill('Pelatih123');
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.getByText('Tersimpan.').waitFor();
    await page.locator('li', { hasText: 'Pak Hendra Pelatih' }).waitFor();

    await page.goto(`${stack.api.url}/#/admin/laporan`);
    await page.getByRole('heading', { name: 'Menurut sektor' }).waitFor();
    await page.getByRole('cell', { name: 'Kerajinan' }).waitFor();
    await page.getByRole('cell', { name: 'Setu' }).waitFor();
    await shot(page, shots, '05-admin-reports');
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Unduh CSV' }).first().click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
