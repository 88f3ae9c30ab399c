import './support/env';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Types } from 'mongoose';
import { AttendanceInterval, Certificate, Course, CourseSession, TestAnswer, TestAttempt } from '@balai/database';
import { startApiApp, RunningApp } from '../../support/api-app';
import { launchChromium } from '../../support/chromium';
import { createCourse, createUser, enrolDirect, inDays, model } from '../../support/factories';
import { WorkerProcess } from '../../support/worker-process';
import { createBank } from '../../integration/assessments/assessment-support';
import { LAPTOP, newContext, PHONE, screenshotDir, shot, signIn, trackErrors } from './support/web';

/**
 * Issue 11 in real Chromium on the real API and worker: a participant on a
 * 360x740 phone takes the pre-test and loses the connection in the middle
 * (`context.setOffline`), comes back and finds every answer kept; attends;
 * takes the post-test; sees the certificate blocked until the evaluation is
 * submitted; submits it and downloads the certificate the worker then issues
 * automatically. The admin sees the gain report with its chart and downloads
 * the CSV.
 *
 * One shortcut, marked below: "attends" moves the session into the past and
 * records the attendance interval in the database (live attendance is proven
 * by the journey test); everything else goes through the UI.
 */
jest.setTimeout(300_000);

/** The right options of the bank's three questions (see createBank), by question text. */
const RIGHT: Record<string, string[]> = {
  'Apa fungsi label kemasan?': ['Informasi produk'],
  'Yang wajib ada di label?': ['Nama produk', 'Tanggal kedaluwarsa'],
  'PIRT diperlukan untuk pangan olahan rumah tangga.': ['Benar'],
};
/** Pre-test answers: only the true/false one right (1 of 4 points = 25 %). */
/** A 1x1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const PRE: Record<string, string[]> = {
  'Apa fungsi label kemasan?': ['Hiasan'],
  'Yang wajib ada di label?': ['Nama produk'],
  'PIRT diperlukan untuk pangan olahan rumah tangga.': ['Benar'],
};

describe('web client: pre-test, post-test and evaluation on a phone (Chromium, real API + worker)', () => {
  let api: RunningApp;
  let worker: WorkerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const shots = screenshotDir('web-assessments');

  beforeAll(async () => {
    expect(existsSync('apps/web/dist/index.html')).toBe(true);
    api = await startApiApp();
    worker = new WorkerProcess({});
    [browser] = await Promise.all([launchChromium(), worker.start(120_000)]);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await worker?.stop();
    await api?.close();
  });

  async function open(viewport = PHONE): Promise<{ page: Page; context: BrowserContext }> {
    const context = await newContext(browser, { viewport });
    contexts.push(context);
    return { page: await context.newPage(), context };
  }

  async function currentQuestion(page: Page): Promise<string> {
    return (await page.getByTestId('question-text').textContent())!.trim();
  }

  async function answer(page: Page, choices: Record<string, string[]>): Promise<string> {
    const text = await currentQuestion(page);
    for (const option of choices[text]!) await page.locator('label.assess-option', { hasText: option }).click();
    return text;
  }

  const noOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

  it('keeps answers through a lost connection, blocks the certificate until the evaluation, and reports the gain', async () => {
    const admin = await createUser(api.app, 'admin', { name: 'Ibu Admin Disperin' });
    const trainer = await createUser(api.app, 'trainer', { name: 'Pak Joko Pelatih' });
    const participant = await createUser(api.app, 'participant', { name: 'Ani Suryani' });
    const course = await createCourse(api.app, { trainerIds: [trainer.id], title: 'Pengemasan Produk Pangan' });
    const courseOid = new Types.ObjectId(course.id);
    await model(api.app, Course.name).updateOne(
      { _id: courseOid },
      { $set: { 'certificate.autoIssue': true, 'certificate.minAttendancePercent': 80 } },
    );
    const startsAt = inDays(2);
    const session = await model(api.app, CourseSession.name).create({
      courseId: courseOid,
      title: 'Sesi 1',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 3600_000),
    });
    await enrolDirect(api.app, course.id, participant.id);
    const bank = await createBank(api, trainer, course.id);
    const { default: request } = await import('supertest');
    await request(api.url)
      .patch(`/api/courses/${course.id}/assessment-settings`)
      .set(trainer.auth)
      .send({ minPostTestPercent: 70, requireEvaluation: true })
      .expect(200);

    // --- Pre-test on the phone, offline in the middle. ---
    const { page: phone, context: phoneContext } = await open(PHONE);
    const errors = trackErrors(phone);
    await signIn(phone, api.url, participant.email);
    await phone.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    await phone.goto(`${api.url}/#/kelas/${course.id}`);
    await phone.getByTestId('test-card-pre').getByRole('link', { name: 'Kerjakan Pre-test' }).click();
    await phone.getByTestId('progress').filter({ hasText: 'Soal 1 dari 3' }).waitFor();
    expect(await phone.getByTestId('time-left').textContent()).toMatch(/^(19|20):\d\d$/);
    const first = await answer(phone, PRE);
    await phone.getByTestId('save-state').filter({ hasText: 'Jawaban tersimpan' }).waitFor();
    await phone.getByRole('button', { name: /Berikutnya/ }).click();
    await shot(phone, shots, '01-pre-test-question');
    expect(await noOverflow(phone)).toBe(true);

    await phoneContext.setOffline(true);
    const second = await answer(phone, PRE);
    await phone.getByText('Tidak ada koneksi. Jawaban disimpan di ponsel ini').waitFor();
    await phone.getByTestId('save-state').filter({ hasText: '1 jawaban menunggu dikirim' }).waitFor();
    await shot(phone, shots, '02-offline-answer-kept');
    const attemptId = (await model<TestAttempt>(api.app, TestAttempt.name)
      .findOne({ courseId: courseOid, userId: new Types.ObjectId(participant.id) })
      .lean())!._id;
    expect(await model(api.app, TestAnswer.name).countDocuments({ attemptId })).toBe(1);

    await phoneContext.setOffline(false);
    await phone.getByTestId('save-state').filter({ hasText: 'Jawaban tersimpan' }).waitFor({ timeout: 30_000 });
    expect(await model(api.app, TestAnswer.name).countDocuments({ attemptId })).toBe(2);

    // Reopening resumes at the first unanswered question with both answers kept.
    await phone.reload();
    await phone.getByTestId('progress').filter({ hasText: 'Soal 3 dari 3' }).waitFor();
    const third = await answer(phone, PRE);
    expect(new Set([first, second, third]).size).toBe(3);
    await phone.getByRole('button', { name: /Sebelumnya/ }).click();
    for (const option of PRE[second]!)
      expect(await phone.locator('label.assess-option', { hasText: option }).locator('input').isChecked()).toBe(true);
    await phone.getByRole('button', { name: /Berikutnya/ }).click();
    await phone.getByTestId('save-state').filter({ hasText: 'Jawaban tersimpan' }).waitFor();
    await phone.getByRole('button', { name: 'Kumpulkan' }).click();
    await phone.getByTestId('score').filter({ hasText: 'Nilai Anda: 25' }).waitFor();
    await shot(phone, shots, '03-pre-test-result');

    // --- Shortcut: the participant attends the session, which then ends (see the header comment). ---
    const heldFrom = new Date(Date.now() - 3 * 3600_000);
    await model(api.app, CourseSession.name).updateOne(
      { _id: session._id },
      { $set: { startsAt: heldFrom, endsAt: new Date(heldFrom.getTime() + 2 * 3600_000), status: 'ended' } },
    );
    await model(api.app, AttendanceInterval.name).create({
      sessionId: session._id,
      courseId: courseOid,
      userId: new Types.ObjectId(participant.id),
      joinEventId: `join-${participant.id}`,
      joinedAt: heldFrom,
      leftAt: new Date(heldFrom.getTime() + 2 * 3600_000),
    });

    // --- Post-test: everything right. ---
    await phone.goto(`${api.url}/#/kelas/${course.id}`);
    await phone.getByTestId('test-card-post').getByRole('link', { name: 'Kerjakan Post-test' }).click();
    for (let i = 0; i < bank.length; i += 1) {
      await phone
        .getByTestId('progress')
        .filter({ hasText: `Soal ${i + 1} dari 3` })
        .waitFor();
      await answer(phone, RIGHT);
      if (i < bank.length - 1) await phone.getByRole('button', { name: /Berikutnya/ }).click();
    }
    await phone.getByTestId('save-state').filter({ hasText: 'Jawaban tersimpan' }).waitFor();
    await phone.getByRole('button', { name: 'Kumpulkan' }).click();
    await phone.getByTestId('score').filter({ hasText: 'Nilai Anda: 100' }).waitFor();

    // --- The certificate waits for the evaluation. ---
    await phone.getByRole('link', { name: 'Kembali ke kelas' }).click();
    await phone
      .getByTestId('certificate-requirements')
      .getByText('Isi evaluasi untuk mendapatkan sertifikat.')
      .waitFor();
    await shot(phone, shots, '04-certificate-needs-evaluation');
    expect(await noOverflow(phone)).toBe(true);
    expect(await model(api.app, Certificate.name).countDocuments({ courseId: courseOid })).toBe(0);

    await phone.getByRole('link', { name: 'Isi evaluasi' }).click();
    const items = phone.locator('fieldset.likert');
    await items.first().waitFor();
    const count = await items.count();
    for (let i = 0; i < count; i += 1)
      await items
        .nth(i)
        .locator('label', { hasText: String((i % 2) + 4) })
        .click();
    await phone.getByLabel('Saran dan masukan (boleh dikosongkan)').fill('Materi label kemasan sangat membantu.');
    await shot(phone, shots, '05-evaluation');
    expect(await noOverflow(phone)).toBe(true);
    await phone.getByRole('button', { name: 'Kirim evaluasi' }).click();
    await phone.getByText('Terima kasih, evaluasi Anda sudah terkirim.').first().waitFor();

    // Automatic issuance: the worker issues it now that the last condition is met.
    const started = Date.now();
    while (!(await model(api.app, Certificate.name).countDocuments({ courseId: courseOid }))) {
      if (Date.now() - started > 90_000) throw new Error('the certificate was not issued');
      await new Promise((r) => setTimeout(r, 500));
    }
    await phone.goto(`${api.url}/#/sertifikat`);
    const [download] = await Promise.all([
      phone.waitForEvent('download'),
      phone.getByRole('button', { name: 'Unduh PDF' }).click(),
    ]);
    expect(
      readFileSync((await download.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    await shot(phone, shots, '06-certificate');
    expect(errors).toEqual([]);

    // --- The admin sees the gain report and downloads its CSV (laptop). ---
    const { page: desk } = await open(LAPTOP);
    await signIn(desk, api.url, admin.email);
    await desk.getByRole('heading', { name: 'Administrasi' }).waitFor();
    await desk.goto(`${api.url}/#/admin/kursus/${course.id}`);
    const report = desk.getByTestId('assessment-report');
    await report.getByTestId('avg-gain').filter({ hasText: '75' }).waitFor();
    expect(await report.getByTestId('n-gain').textContent()).toBe('1');
    await report.getByTestId('gain-chart').waitFor();
    await shot(desk, shots, '07-admin-gain-report');
    const [csvDownload] = await Promise.all([desk.waitForEvent('download'), report.getByTestId('report-csv').click()]);
    const csv = readFileSync((await csvDownload.path())!, 'utf8');
    expect(csv).toContain('pre_percent,post_percent,gain,normalized_gain');
    expect(csv).toMatch(/Ani Suryani,[^\r\n]*,25,100,75,1,100,true,true,/);
  });

  it('a trainer edits questions (text, points, options, an uploaded image) and an admin edits the evaluation form, at 360 px', async () => {
    const admin = await createUser(api.app, 'admin', { name: 'Ibu Admin Form' });
    const trainer = await createUser(api.app, 'trainer', { name: 'Pak Budi Pelatih' });
    const participant = await createUser(api.app, 'participant', { name: 'Siti Peserta' });
    const course = await createCourse(api.app, { trainerIds: [trainer.id], title: 'Label Halal dan PIRT' });
    await model(api.app, CourseSession.name).create({
      courseId: new Types.ObjectId(course.id),
      title: 'Sesi 1',
      startsAt: inDays(2),
      endsAt: new Date(inDays(2).getTime() + 2 * 3600_000),
    });
    await enrolDirect(api.app, course.id, participant.id);
    await createBank(api, trainer, course.id);
    const { default: request } = await import('supertest');
    const bankNow = async () =>
      (await request(api.url).get(`/api/courses/${course.id}/questions`).set(trainer.auth).expect(200)).body as Array<{
        id: string;
        type: string;
        text: string;
        points: number;
        imageUrl?: string;
        options: Array<{ id: string; text: string; correct: boolean }>;
      }>;
    const before = await bankNow();

    // --- The trainer, on a phone, on the course page. ---
    const { page } = await open(PHONE);
    const errors = trackErrors(page);
    page.on('dialog', (d) => void d.accept());
    await signIn(page, api.url, trainer.email);
    await page.getByRole('heading', { name: 'Kelas yang saya ajar' }).waitFor();
    await page.goto(`${api.url}/#/pelatih/kursus/${course.id}`);
    const staff = page.getByTestId('assessment-staff');
    const single = staff.getByTestId('bank-question').filter({ hasText: 'Apa fungsi label kemasan?' });
    await single.getByRole('button', { name: 'Ubah' }).click();
    const edit = staff.getByTestId('question-edit-form');
    await edit.getByLabel('Pertanyaan').fill('Apa fungsi utama label kemasan?');
    await edit.getByLabel('Bobot').fill('3');
    await edit.getByLabel('Pilihan B', { exact: true }).fill('Hiasan saja');
    // Make option B the right one, and add a fourth option.
    await edit.locator('.assess-options-edit .row').nth(1).getByLabel('Benar').check();
    await edit.getByRole('button', { name: '+ Tambah pilihan' }).click();
    await edit.getByLabel('Pilihan D', { exact: true }).fill('Penanda harga');
    await edit
      .getByLabel('Gambar soal (opsional)')
      .setInputFiles({ name: 'label.png', mimeType: 'image/png', buffer: PNG });
    await shot(page, shots, '08-trainer-edits-question');
    await edit.screenshot({ path: join(shots, '08b-question-edit-form.png') });
    expect(await noOverflow(page)).toBe(true);
    await edit.getByRole('button', { name: 'Simpan soal' }).click();
    const edited = staff.getByTestId('bank-question').filter({ hasText: 'Apa fungsi utama label kemasan?' });
    await edited.getByTestId('question-image').waitFor();
    expect(await edited.textContent()).toContain('bobot 3');
    const after = await bankNow();
    const q = after.find((x) => x.id === before.find((b) => b.text === 'Apa fungsi label kemasan?')!.id)!;
    expect(q).toMatchObject({ text: 'Apa fungsi utama label kemasan?', points: 3 });
    expect(q.imageUrl).toMatch(/^\/api\/question-images\/[0-9a-f]{24}$/);
    expect(q.options.map((o) => [o.text, o.correct])).toEqual([
      ['Informasi produk', false],
      ['Hiasan saja', true],
      ['Pemberat', false],
      ['Penanda harga', false],
    ]);
    // Option ids are kept when edited (answers refer to them).
    expect(q.options[0]!.id).toBe(before.find((b) => b.id === q.id)!.options[0]!.id);

    // A new true/false question, and the multiple-answer one deleted.
    const add = staff.getByTestId('question-add-form');
    await add.getByLabel('Jenis soal').selectOption('truefalse');
    await add.getByLabel('Pertanyaan').fill('Label halal wajib untuk produk pangan tertentu.');
    await add.getByLabel('Bobot').fill('2');
    await add.locator('.assess-options-edit .row').nth(0).getByLabel('Benar').check();
    await add.getByRole('button', { name: 'Tambah soal' }).click();
    await staff.getByTestId('bank-question').filter({ hasText: 'Label halal wajib' }).waitFor();
    await staff
      .getByTestId('bank-question')
      .filter({ hasText: 'Yang wajib ada di label?' })
      .getByRole('button', { name: 'Hapus' })
      .click();
    await staff
      .getByTestId('bank-question')
      .filter({ hasText: 'Yang wajib ada di label?' })
      .waitFor({ state: 'detached' });
    const final = await bankNow();
    expect(final.map((x) => x.text).sort()).toEqual([
      'Apa fungsi utama label kemasan?',
      'Label halal wajib untuk produk pangan tertentu.',
      'PIRT diperlukan untuk pangan olahan rumah tangga.',
    ]);
    expect(final.find((x) => x.type === 'truefalse' && x.text.startsWith('Label'))).toMatchObject({
      points: 2,
      options: [
        { text: 'Benar', correct: true },
        { text: 'Salah', correct: false },
      ],
    });
    // The trainer sees the evaluation form but cannot change it (they are rated by it).
    const trainerForm = staff.getByTestId('evaluation-form-editor');
    await trainerForm.getByText('Hanya admin yang dapat mengubah formulir evaluasi').waitFor();
    expect(await trainerForm.getByRole('button', { name: 'Simpan formulir' }).count()).toBe(0);
    expect(errors).toEqual([]);

    // --- The admin edits the evaluation form on a phone. ---
    const { page: adminPage } = await open(PHONE);
    const adminErrors = trackErrors(adminPage);
    await signIn(adminPage, api.url, admin.email);
    await adminPage.getByRole('heading', { name: 'Administrasi' }).waitFor();
    await adminPage.goto(`${api.url}/#/admin/kursus/${course.id}`);
    const form = adminPage.getByTestId('evaluation-form-editor');
    await form.getByText('Formulir ini memakai template bawaan.').waitFor();
    await form.getByLabel('Materi, butir 1').fill('Materi label halal mudah dipahami');
    const trainerItems = form.getByTestId('eval-category-trainer');
    await trainerItems.getByRole('button', { name: '+ Tambah butir' }).click();
    const added = trainerItems.locator('textarea').last();
    await added.fill('Pelatih memberi contoh dari usaha peserta');
    const facilities = form.getByTestId('eval-category-facilities');
    const facilityCount = await facilities.locator('textarea').count();
    await facilities.getByRole('button', { name: 'Hapus butir 1' }).click();
    await shot(adminPage, shots, '09-admin-edits-evaluation-form');
    await form.screenshot({ path: join(shots, '09b-evaluation-form-editor.png') });
    expect(await noOverflow(adminPage)).toBe(true);
    await form.getByRole('button', { name: 'Simpan formulir' }).click();
    await form.getByText('Formulir ini sudah disesuaikan untuk kegiatan ini.').waitFor();
    const stored = (await request(api.url).get(`/api/courses/${course.id}/evaluation`).set(admin.auth).expect(200))
      .body as { isDefault: boolean; items: Array<{ category: string; text: string }> };
    expect(stored.isDefault).toBe(false);
    const texts = (c: string) => stored.items.filter((i) => i.category === c).map((i) => i.text);
    expect(texts('material')[0]).toBe('Materi label halal mudah dipahami');
    expect(texts('trainer')).toContain('Pelatih memberi contoh dari usaha peserta');
    expect(texts('facilities')).toHaveLength(facilityCount - 1);
    expect(adminErrors).toEqual([]);

    // --- The participant sees the uploaded image on that question's screen. ---
    const { page: phone } = await open(PHONE);
    await signIn(phone, api.url, participant.email);
    await phone.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    await phone.goto(`${api.url}/#/kelas/${course.id}`);
    await phone.getByTestId('test-card-pre').getByRole('link', { name: 'Kerjakan Pre-test' }).click();
    await phone.getByTestId('progress').filter({ hasText: 'Soal 1 dari 3' }).waitFor();
    let seen = false;
    for (let i = 0; i < 3 && !seen; i += 1) {
      if ((await currentQuestion(phone)) === 'Apa fungsi utama label kemasan?') {
        const img = phone.getByTestId('question-image');
        await img.waitFor();
        expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(1);
        await shot(phone, shots, '10-question-with-image');
        expect(await noOverflow(phone)).toBe(true);
        seen = true;
      } else {
        expect(await phone.getByTestId('question-image').count()).toBe(0);
        await phone.getByRole('button', { name: /Berikutnya/ }).click();
        await phone
          .getByTestId('progress')
          .filter({ hasText: `Soal ${i + 2} dari 3` })
          .waitFor();
      }
    }
    expect(seen).toBe(true);
  });
});
