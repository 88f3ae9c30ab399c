import './support/env';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, mongo, Types } from 'mongoose';
import { Recording } from '@balai/database';
import { RECORDING_BUCKET } from '@balai/queue';
import { createCourse, createSession, createUser, enrolDirect, inDays, model } from '../../support/factories';
import { useWebStack } from './support/stack';
import { PHONE, screenshotDir, shot, signIn, trackErrors } from './support/web';

/**
 * A participant on a phone opens a session recording on the course page
 * ("Rekaman"): the 360p variant is chosen, it plays past 5 s with no media
 * error, streamed with HTTP Range requests, and seeking to the middle works.
 * The MP4s are made like the worker makes them (H.264 + AAC, faststart).
 * Screenshots: test-output/screenshots/web-recording/.
 */
jest.setTimeout(180_000);

describe('web client: playing a recording at phone size (Chromium, real API)', () => {
  const stack = useWebStack();
  const dir = mkdtempSync(join(tmpdir(), 'balai-rec-e2e-'));
  const shots = screenshotDir('web-recording');

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function storeVariant(name: '720p' | '360p', width: number, height: number) {
    const path = join(dir, `${name}.mp4`);
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=s=${width}x${height}:r=20:d=20`],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:d=20'],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'main', '-pix_fmt', 'yuv420p', '-g', '40'],
      ...['-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart', '-threads', '2', path],
    ]);
    const bytes = readFileSync(path);
    const bucket = new mongo.GridFSBucket(stack.api.app.get<Connection>(getConnectionToken()).db!, {
      bucketName: RECORDING_BUCKET,
    });
    const upload = bucket.openUploadStream(`${name}.mp4`);
    await new Promise<void>((resolve, reject) =>
      upload
        .once('finish', () => resolve())
        .once('error', reject)
        .end(bytes),
    );
    return { name, storageKey: upload.id.toString(), size: bytes.length, width, height };
  }

  it('plays past 5 s with no media error, streams with Range requests and seeks to the middle', async () => {
    const trainer = await createUser(stack.api.app, 'trainer');
    const participant = await createUser(stack.api.app, 'participant', { name: 'Dewi Lestari' });
    const course = await createCourse(stack.api.app, { title: 'Pengemasan Produk', trainerIds: [trainer.id] });
    const session = await createSession(stack.api.app, course.id, inDays(-1));
    await enrolDirect(stack.api.app, course.id, participant.id);
    const variants = [await storeVariant('720p', 1280, 720), await storeVariant('360p', 640, 360)];
    await model<Recording>(stack.api.app, Recording.name).create({
      sessionId: new Types.ObjectId(session.id),
      courseId: new Types.ObjectId(course.id),
      startedBy: new Types.ObjectId(trainer.id),
      status: 'ready',
      startedAt: session.startsAt,
      stoppedAt: new Date(session.startsAt.getTime() + 20_000),
      durationSeconds: 20,
      progress: 100,
      variants,
    });

    const context = await stack.newContext({ viewport: PHONE });
    const page = await context.newPage();
    const errors = trackErrors(page);
    const ranges: number[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/media/')) ranges.push(r.status());
    });
    await signIn(page, stack.api.url, participant.email);
    await page.getByRole('heading', { name: 'Kelas saya' }).waitFor();
    await page.goto(`${stack.api.url}/#/kelas/${course.id}`);
    await page.getByRole('heading', { name: 'Rekaman' }).waitFor();
    const video = page.locator('.recording-player video');
    await video.waitFor();
    expect(await video.getAttribute('src')).toContain('/media/360p?access=');
    expect(
      await page.evaluate(() =>
        document.createElement('video').canPlayType('video/mp4; codecs="avc1.4d401f, mp4a.40.2"'),
      ),
    ).not.toBe('');

    // Muted, so Chromium's autoplay policy lets a script start it (a person taps play).
    await video.evaluate((v: HTMLVideoElement) => {
      v.muted = true;
      void v.play();
    });
    await page.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>('.recording-player video');
        return !!v && v.currentTime > 5;
      },
      undefined,
      { timeout: 60_000, polling: 250 },
    );
    await shot(page, shots, 'phone-playing');
    const playing = await video.evaluate((v: HTMLVideoElement) => ({
      error: v.error?.code ?? null,
      duration: v.duration,
    }));
    expect(playing.error).toBeNull();
    expect(Math.abs(playing.duration - 20)).toBeLessThan(1);

    // Seek to the middle: it lands there and plays on from it.
    const middle = playing.duration / 2;
    await video.evaluate(
      (v: HTMLVideoElement, to: number) =>
        new Promise<void>((resolve) => {
          v.addEventListener('seeked', () => resolve(), { once: true });
          v.currentTime = to;
        }),
      middle,
    );
    await page.waitForFunction(
      (to) => {
        const v = document.querySelector<HTMLVideoElement>('.recording-player video');
        return !!v && v.currentTime > to + 1 && !v.paused;
      },
      middle,
      { timeout: 60_000, polling: 250 },
    );
    const after = await video.evaluate((v: HTMLVideoElement) => ({ error: v.error?.code ?? null, t: v.currentTime }));
    expect(after.error).toBeNull();
    expect(after.t).toBeGreaterThan(middle);
    expect(after.t).toBeLessThan(middle + 15);
    expect(ranges).toContain(206);
    expect(await page.getByRole('link', { name: /Unduh MP4/ }).getAttribute('href')).toContain('download=1');
    await shot(page, shots, 'phone-after-seek');
    expect(errors).toEqual([]);
    await context.close();
  });
});
