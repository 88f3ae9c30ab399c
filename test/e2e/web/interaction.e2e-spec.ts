import './support/env';
import type { Page } from 'playwright-core';
import { createCourse, createSession, createUser, enrolDirect } from '../../support/factories';
import { useWebStack } from './support/stack';
import { LAPTOP, PHONE, screenshotDir, shot, signIn, trackErrors } from './support/web';

/**
 * Issue 12 in the browser, on the real API and live service: the trainer
 * prepares a poll on the course page; in the room two participants (one on a
 * 360 px phone) ask (one anonymously), upvote, and the trainer pins and
 * answers; the prepared poll is launched, voted, revealed and closed; the
 * session report shows the questions and the results.
 */
jest.setTimeout(240_000);

describe('web client: Q&A and polls in the live room (Chromium, real API + live service)', () => {
  const stack = useWebStack({ live: true });
  const shots = screenshotDir('web-interaction');

  async function open(viewport: { width: number; height: number }): Promise<Page> {
    const context = await stack.newContext({ viewport });
    return context.newPage();
  }

  /** The element's box lies inside the viewport (seen without scrolling or opening a tab). */
  async function inViewport(page: Page, testId: string): Promise<boolean> {
    const box = await page.getByTestId(testId).first().boundingBox();
    const size = page.viewportSize()!;
    return (
      !!box &&
      box.y >= 0 &&
      box.y + Math.min(box.height, 40) <= size.height &&
      box.x >= 0 &&
      box.x + box.width <= size.width + 1
    );
  }

  it('ask, upvote, pin and answer; a prepared poll launched, voted, revealed and closed; results in the session report', async () => {
    const trainer = await createUser(stack.api.app, 'trainer', { name: 'Bu Sari Pelatih' });
    const course = await createCourse(stack.api.app, {
      title: 'Sosialisasi Sertifikasi Halal',
      status: 'ongoing',
      trainerIds: [trainer.id],
    });
    const session = await createSession(stack.api.app, course.id, new Date(Date.now() - 5 * 60_000), 120, [trainer.id]);
    const rina = await createUser(stack.api.app, 'participant', { name: 'Rina Wati' });
    const budi = await createUser(stack.api.app, 'participant', { name: 'Budi Santoso' });
    for (const p of [rina, budi]) await enrolDirect(stack.api.app, course.id, p.id);

    // Course page: the trainer prepares a poll before the session.
    const host = await open(LAPTOP);
    const hostErrors = trackErrors(host);
    await signIn(host, stack.api.url, trainer.email);
    await host.getByRole('heading', { name: 'Kelas yang saya ajar' }).waitFor();
    await host.goto(`${stack.api.url}/#/pelatih/kursus/${course.id}`);
    const panel = host.getByTestId('course-polls');
    await panel.getByLabel('Pertanyaan polling').fill('Sudah paham alur sertifikasi halal?');
    await panel.getByLabel('Pilihan (satu per baris, 2–10)').fill('Sudah\nBelum\nSebagian');
    await panel.getByRole('button', { name: 'Simpan polling' }).click();
    await panel.getByTestId('prepared-poll').filter({ hasText: 'Sudah paham alur sertifikasi halal?' }).waitFor();
    await shot(host, shots, '01-course-page-prepared-poll');

    // Into the room.
    await host.goto(`${stack.api.url}/#/sesi/${session.id}`);
    await host.getByTestId('enter-room').click();
    await host.locator('.live[data-status="live"]').waitFor();

    const phone = await open(PHONE);
    const phoneErrors = trackErrors(phone);
    await signIn(phone, stack.api.url, rina.email);
    await phone.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    await phone.goto(`${stack.api.url}/#/sesi/${session.id}`);
    await phone.locator('.live[data-status="live"]').waitFor();

    const laptop = await open(LAPTOP);
    await signIn(laptop, stack.api.url, budi.email);
    await laptop.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    await laptop.goto(`${stack.api.url}/#/sesi/${session.id}`);
    await laptop.locator('.live[data-status="live"]').waitFor();

    // Ask: Rina anonymously from the phone, Budi with his name.
    await phone.getByRole('tab', { name: /Tanya/ }).click();
    await phone.getByLabel('Tulis pertanyaan untuk pelatih…').fill('Berapa lama proses sertifikasi halal?');
    await phone.getByLabel('Tanpa nama (pelatih tetap melihat nama Anda)').check();
    await phone.getByRole('button', { name: 'Kirim pertanyaan' }).click();
    await laptop.getByRole('tab', { name: /Tanya/ }).click();
    await laptop.getByLabel('Tulis pertanyaan untuk pelatih…').fill('Apakah ada biaya pendaftaran?');
    await laptop.getByRole('button', { name: 'Kirim pertanyaan' }).click();

    const q1 = (p: Page) => p.getByTestId('question').filter({ hasText: 'Berapa lama proses sertifikasi halal?' });
    const q2 = (p: Page) => p.getByTestId('question').filter({ hasText: 'Apakah ada biaya pendaftaran?' });
    await q1(laptop).waitFor();
    // Anonymous towards the other participant; the asker sees "Anda"; the trainer sees the name.
    expect(await q1(laptop).textContent()).toContain('Tanpa nama');
    expect(await q1(laptop).textContent()).not.toContain('Rina');
    await host.getByRole('tab', { name: /Tanya/ }).click();
    await q1(host).filter({ hasText: 'Rina Wati' }).waitFor();
    await q2(phone).filter({ hasText: 'Budi Santoso' }).waitFor();

    // Upvotes: both upvote the first question, which goes to the top; Budi takes his on the second back.
    await q1(laptop).getByTestId('upvote').click();
    await q1(phone).getByTestId('upvote').click();
    await q2(laptop).getByTestId('upvote').click();
    await q2(laptop).getByTestId('upvotes').filter({ hasText: '1' }).waitFor();
    await q2(laptop).getByTestId('upvote').click();
    await q1(host).getByTestId('upvotes').filter({ hasText: '2' }).waitFor();
    await q2(host).getByTestId('upvotes').filter({ hasText: '0' }).waitFor();
    expect(await host.getByTestId('question').first().textContent()).toContain('Berapa lama proses sertifikasi halal?');
    expect(await q1(phone).getByTestId('upvote').getAttribute('aria-pressed')).toBe('true');

    // Pin: every screen shows it on the stage, the phone without leaving the stage.
    await q1(host).getByRole('button', { name: 'Sematkan' }).click();
    for (const p of [phone, laptop, host])
      await p.getByTestId('pinned-question').filter({ hasText: 'Berapa lama proses sertifikasi halal?' }).waitFor();
    expect(await inViewport(phone, 'pinned-question')).toBe(true);
    await shot(phone, shots, '02-phone-pinned-question');

    // Answer: live for the pinned one, typed for the other.
    await q1(host).getByRole('button', { name: 'Dijawab langsung' }).click();
    await q1(phone).filter({ hasText: 'Sudah dijawab' }).waitFor();
    await q2(host).getByRole('button', { name: 'Jawab tertulis' }).click();
    await q2(host).getByLabel('Tulis jawaban…').fill('Tidak ada biaya untuk IKM binaan Dinas.');
    await q2(host).getByRole('button', { name: 'Kirim' }).click();
    await q2(phone).filter({ hasText: 'Tidak ada biaya untuk IKM binaan Dinas.' }).waitFor();
    await shot(host, shots, '03-host-qna');

    // Poll: the prepared one is launched from the Tanya tab.
    await host.getByTestId('poll-launcher').locator('summary').click();
    await host.getByRole('button', { name: 'Mulai', exact: true }).click();
    await phone.getByTestId('poll-card').filter({ hasText: 'Sudah paham alur sertifikasi halal?' }).waitFor();
    expect(await inViewport(phone, 'poll-card')).toBe(true);
    await shot(phone, shots, '04-phone-poll-card');
    await phone.getByTestId('poll-card').getByLabel('Sebagian', { exact: true }).check();
    await phone.getByTestId('poll-vote').click();
    await phone.getByTestId('poll-voted').waitFor();
    await laptop.getByTestId('poll-card').getByLabel('Sudah', { exact: true }).check();
    await laptop.getByTestId('poll-vote').click();
    await laptop.getByTestId('poll-voted').waitFor();
    // The host sees the counts live; participants not until revealed.
    await host.getByTestId('poll-card').getByText('2 orang memilih').waitFor();
    await phone.getByText('Hasil belum ditampilkan oleh pelatih.').waitFor();
    expect(await phone.getByTestId('poll-results').count()).toBe(0);

    await host.getByRole('button', { name: 'Tampilkan hasil ke semua' }).click();
    await phone.getByTestId('poll-results').waitFor();
    await phone.getByTestId('poll-card').getByText('2 orang memilih').waitFor();
    expect(await phone.getByTestId('poll-count').allTextContents()).toEqual(['1 (50%)', '0 (0%)', '1 (50%)']);
    await shot(phone, shots, '05-phone-poll-revealed');
    await host.getByRole('button', { name: 'Tutup polling' }).click();
    await phone.getByTestId('poll-card').filter({ hasText: 'ditutup' }).waitFor();
    await laptop.getByTestId('poll-card').filter({ hasText: 'ditutup' }).waitFor();

    // The session report (session page): questions with upvotes and answers, the poll's results.
    const report = await host.context().newPage();
    await report.goto(`${stack.api.url}/#/laporan-sesi/${session.id}`);
    await report.getByTestId('session-report').waitFor();
    await report.getByTestId('report-poll').filter({ hasText: 'Sudah paham alur sertifikasi halal?' }).waitFor();
    expect(await report.getByTestId('report-option').allTextContents()).toEqual([
      'Sudah: 1 (50%)',
      'Belum: 0 (0%)',
      'Sebagian: 1 (50%)',
    ]);
    const rows = await report.getByTestId('report-question').allTextContents();
    expect(rows[0]).toContain('Berapa lama proses sertifikasi halal?');
    expect(rows[0]).toContain('Rina Wati');
    expect(rows[0]).toContain('2 dukungan');
    expect(rows[1]).toContain('Tidak ada biaya untuk IKM binaan Dinas.');
    const csv = report.waitForEvent('download');
    await report.getByRole('button', { name: 'Unduh hasil polling (CSV)' }).click();
    expect((await csv).suggestedFilename()).toMatch(/\.csv$/);
    await shot(report, shots, '06-session-report');

    // The participant's view of the report hides the anonymous asker.
    const rinaReport = await phone.context().newPage();
    await rinaReport.goto(`${stack.api.url}/#/laporan-sesi/${session.id}`);
    await rinaReport.getByTestId('report-question').first().waitFor();
    expect(await rinaReport.getByTestId('report-questions').textContent()).not.toContain('Rina Wati');

    expect(hostErrors).toEqual([]);
    expect(phoneErrors).toEqual([]);
    for (const p of [host, phone, laptop]) await p.context().close();
  });
});
