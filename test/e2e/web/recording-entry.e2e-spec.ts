import './support/env';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, mongo, Types } from 'mongoose';
import { Course, Recording } from '@balai/database';
import { RECORDING_BUCKET } from '@balai/queue';
import { createCourse, createSession, createUser, enrolDirect, inDays, model } from '../../support/factories';
import { useWebStack } from './support/stack';
import { PHONE, screenshotDir, shot, signIn, trackErrors } from './support/web';

/**
 * Recordings around a session at phone size (issue 13): a participant about to
 * enter a session being recorded is told so before the room ("Sesi ini sedang
 * direkam", with a button to enter), and told that a course with autoRecord
 * records every session; a held session's row leads to its own recordings
 * page ("Rekaman sesi") with the player; an admin ticks "Rekam setiap sesi secara
 * otomatis" in the course form.
 * Screenshots: test-output/screenshots/web-recording-entry/.
 */
jest.setTimeout(180_000);

describe('web client: recording notice before entering, and a session’s recordings page (Chromium, 360 px)', () => {
  const stack = useWebStack();
  const dir = mkdtempSync(join(tmpdir(), 'balai-rec-entry-'));
  const shots = screenshotDir('web-recording-entry');

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function setUp() {
    const trainer = await createUser(stack.api.app, 'trainer');
    const participant = await createUser(stack.api.app, 'participant', { name: 'Siti Aminah' });
    const course = await createCourse(stack.api.app, { title: 'Keamanan Pangan', trainerIds: [trainer.id] });
    await enrolDirect(stack.api.app, course.id, participant.id);
    return { trainer, participant, course };
  }

  it('tells a participant before entering that the session is being recorded, or that the course records every session', async () => {
    const { trainer, participant, course } = await setUp();
    const now = await createSession(stack.api.app, course.id, new Date(Date.now() - 10 * 60_000));
    await model<Recording>(stack.api.app, Recording.name).create({
      sessionId: new Types.ObjectId(now.id),
      courseId: new Types.ObjectId(course.id),
      startedBy: new Types.ObjectId(trainer.id),
      status: 'recording',
      startedAt: new Date(Date.now() - 60_000),
      heartbeatAt: new Date(),
    });
    const context = await stack.newContext({ viewport: PHONE });
    const page = await context.newPage();
    const errors = trackErrors(page);
    await signIn(page, stack.api.url, participant.email);
    await page.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    await page.goto(`${stack.api.url}/#/sesi/${now.id}`);
    const notice = page.getByTestId('recording-entry-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Sesi ini sedang direkam.');
    expect(await notice.getAttribute('data-recording')).toBe('true');
    const enter = page.getByRole('button', { name: 'Masuk ke kelas' });
    expect(await enter.isVisible()).toBe(true);
    const box = (await enter.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, shots, 'phone-being-recorded');

    // A course that records every session says so, even before the recording runs.
    await model<Course>(stack.api.app, Course.name).updateOne({ _id: course.id }, { $set: { autoRecord: true } });
    await model<Recording>(stack.api.app, Recording.name).updateMany(
      { sessionId: new Types.ObjectId(now.id) },
      { $set: { status: 'recorded' } },
    );
    await page.goto(`${stack.api.url}/#/kelas`);
    await page.goto(`${stack.api.url}/#/sesi/${now.id}`);
    await page.getByTestId('recording-entry-notice').waitFor();
    expect(await page.getByTestId('recording-entry-notice').textContent()).toContain(
      'Semua sesi pelatihan ini direkam otomatis.',
    );
    expect(await page.getByTestId('recording-entry-notice').getAttribute('data-recording')).toBe('false');
    await shot(page, shots, 'phone-auto-record');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('leads from a held session to its recordings page with the player', async () => {
    const { trainer, participant, course } = await setUp();
    const held = await createSession(stack.api.app, course.id, inDays(-1));
    const path = join(dir, 'small.mp4');
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=s=640x360:r=10:d=3', '-c:v', 'libx264'],
      ...['-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', path],
    ]);
    const bytes = readFileSync(path);
    const bucket = new mongo.GridFSBucket(stack.api.app.get<Connection>(getConnectionToken()).db!, {
      bucketName: RECORDING_BUCKET,
    });
    const upload = bucket.openUploadStream('small.mp4');
    await new Promise<void>((resolve, reject) =>
      upload
        .once('finish', () => resolve())
        .once('error', reject)
        .end(bytes),
    );
    const variant = (name: '720p' | '360p', width: number, height: number) => ({
      name,
      storageKey: upload.id.toString(),
      size: bytes.length,
      width,
      height,
    });
    await model<Recording>(stack.api.app, Recording.name).create({
      sessionId: new Types.ObjectId(held.id),
      courseId: new Types.ObjectId(course.id),
      startedBy: new Types.ObjectId(trainer.id),
      status: 'ready',
      startedAt: held.startsAt,
      stoppedAt: new Date(held.startsAt.getTime() + 3000),
      durationSeconds: 3,
      progress: 100,
      variants: [variant('720p', 1280, 720), variant('360p', 640, 360)],
    });

    const context = await stack.newContext({ viewport: PHONE });
    const page = await context.newPage();
    const errors = trackErrors(page);
    await signIn(page, stack.api.url, participant.email);
    await page.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    await page.goto(`${stack.api.url}/#/kelas/${course.id}`);
    await page.getByTestId(`session-recordings-${held.id}`).click();
    await page.getByRole('heading', { name: 'Rekaman sesi' }).waitFor();
    expect(page.url()).toContain(`#/rekaman-sesi/${held.id}`);
    const video = page.locator('[data-testid="session-recordings"] .recording-player video');
    await video.waitFor();
    expect(await video.getAttribute('src')).toContain('/media/360p?access=');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, shots, 'phone-session-recordings');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets an admin set a course to record every session (course form)', async () => {
    const admin = await createUser(stack.api.app, 'admin');
    const { course } = await setUp();
    const context = await stack.newContext({ viewport: PHONE });
    const page = await context.newPage();
    const errors = trackErrors(page);
    await signIn(page, stack.api.url, admin.email);
    await page.waitForURL(/#\/admin/);
    await page.goto(`${stack.api.url}/#/admin/kursus/${course.id}`);
    await page.getByTestId('edit-course').click();
    const box = page.getByLabel('Rekam setiap sesi secara otomatis');
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await shot(page, shots, 'phone-course-form-auto-record');
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    await page.getByTestId('edit-course').waitFor();
    const deadline = Date.now() + 15_000;
    while (!(await model<Course>(stack.api.app, Course.name).findById(course.id).lean())!.autoRecord) {
      if (Date.now() > deadline) throw new Error('autoRecord not saved');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
