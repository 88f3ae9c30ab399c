/**
 * The recordings REST routes (issue 13): who may list and play a recording
 * (enrolled participants, the course's trainers, admins; others 403), HTTP
 * Range answers (206, 416), download, and an admin's delete.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, mongo, Types } from 'mongoose';
import request from 'supertest';
import { Recording } from '@balai/database';
import { RECORDING_BUCKET } from '@balai/queue';
import { RunningApp, startApiApp } from '../../support/api-app';
import { createCourse, createSession, createUser, enrolDirect, inDays, model, TestUser } from '../../support/factories';

interface Listed {
  id: string;
  status: string;
  variants: Array<{ name: string; size: number; url: string }>;
}

describe('recordings API', () => {
  let api: RunningApp;
  let admin: TestUser;
  let trainer: TestUser;
  let participant: TestUser;
  let outsider: TestUser;
  let courseId: string;
  let sessionId: string;
  let recordingId: string;
  let mp4: Buffer;
  const dir = mkdtempSync(join(tmpdir(), 'balai-rec-api-'));

  beforeAll(async () => {
    api = await startApiApp();
    [admin, trainer, participant, outsider] = await Promise.all([
      createUser(api.app, 'admin'),
      createUser(api.app, 'trainer'),
      createUser(api.app, 'participant'),
      createUser(api.app, 'participant'),
    ]);
    courseId = (await createCourse(api.app, { trainerIds: [trainer.id] })).id;
    sessionId = (await createSession(api.app, courseId, inDays(-1))).id;
    await enrolDirect(api.app, courseId, participant.id);

    // A small real MP4 (faststart), stored the way the worker stores variants.
    const path = join(dir, 'small.mp4');
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=s=320x180:r=10:d=3', '-c:v', 'libx264', '-preset', 'ultrafast'],
      ...['-movflags', '+faststart', '-y', path],
    ]);
    mp4 = readFileSync(path);
    const bucket = new mongo.GridFSBucket(api.app.get<Connection>(getConnectionToken()).db!, {
      bucketName: RECORDING_BUCKET,
    });
    const upload = bucket.openUploadStream('small.mp4');
    await new Promise<void>((resolve, reject) =>
      upload
        .once('finish', () => resolve())
        .once('error', reject)
        .end(mp4),
    );
    const variant = (name: string, height: number) => ({
      name,
      storageKey: upload.id.toString(),
      size: mp4.length,
      width: (height * 16) / 9,
      height,
    });
    const doc = await model<Recording>(api.app, Recording.name).create({
      sessionId: new Types.ObjectId(sessionId),
      courseId: new Types.ObjectId(courseId),
      startedBy: new Types.ObjectId(trainer.id),
      status: 'ready',
      startedAt: new Date(Date.now() - 60_000),
      stoppedAt: new Date(),
      durationSeconds: 3,
      progress: 100,
      gaps: [{ stream: 'audio:x', reason: 'recorder-died', from: new Date(), to: new Date() }],
      variants: [variant('720p', 720), variant('360p', 360)],
    });
    recordingId = String(doc._id);
  });

  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const list = (user: TestUser) => request(api.url).get(`/api/sessions/${sessionId}/recordings`).set(user.auth);

  it('lists a session’s and a course’s recordings for enrolled participants, trainers and admins', async () => {
    for (const user of [participant, trainer, admin]) {
      const res = await list(user).expect(200);
      const [item] = res.body as Listed[];
      expect(item).toMatchObject({ id: recordingId, status: 'ready', gaps: [{ reason: 'recorder-died' }] });
      expect(item.variants.map((v) => v.name)).toEqual(['720p', '360p']);
    }
    const byCourse = await request(api.url)
      .get(`/api/courses/${courseId}/recordings`)
      .set(participant.auth)
      .expect(200);
    expect((byCourse.body as Listed[]).map((r) => r.id)).toEqual([recordingId]);
  });

  it('answers 403 to someone without access and 401 without a token', async () => {
    await list(outsider).expect(403);
    await request(api.url).get(`/api/courses/${courseId}/recordings`).set(outsider.auth).expect(403);
    await request(api.url).get(`/api/recordings/${recordingId}`).set(outsider.auth).expect(403);
    await request(api.url).get(`/api/sessions/${sessionId}/recordings`).expect(401);
  });

  it('streams with HTTP Range (206) and refuses a range outside the file (416)', async () => {
    const [item] = (await list(participant).expect(200)).body as Listed[];
    const url = item.variants.find((v) => v.name === '360p')!.url;
    const whole = await request(api.url).get(url).buffer(true).expect(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.headers['content-type']).toBe('video/mp4');
    expect(Buffer.compare(whole.body as Buffer, mp4)).toBe(0);

    const part = await request(api.url).get(url).set('Range', 'bytes=100-199').buffer(true).expect(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${mp4.length}`);
    expect(Buffer.compare(part.body as Buffer, mp4.subarray(100, 200))).toBe(0);
    const tail = await request(api.url).get(url).set('Range', 'bytes=-50').buffer(true).expect(206);
    expect(Buffer.compare(tail.body as Buffer, mp4.subarray(mp4.length - 50))).toBe(0);

    const refused = await request(api.url).get(url).set('Range', `bytes=${mp4.length}-`).expect(416);
    expect(refused.body).toMatchObject({ statusCode: 416, error: 'RANGE_NOT_SATISFIABLE' });
    expect(refused.headers['content-range']).toBe(`bytes */${mp4.length}`);
    const download = await request(api.url).get(`${url}&download=1`).buffer(true).expect(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="rekaman-.*-360p\.mp4"$/);
  });

  it('refuses media without a valid playback token for that recording and variant', async () => {
    const [item] = (await list(participant).expect(200)).body as Listed[];
    const url720 = item.variants.find((v) => v.name === '720p')!.url;
    await request(api.url).get(`/api/recordings/${recordingId}/media/720p`).expect(403);
    await request(api.url).get(`/api/recordings/${recordingId}/media/720p?access=nope`).expect(403);
    await request(api.url).get(url720.replace('/720p?', '/360p?')).expect(403);
    await request(api.url).get(`/api/recordings/${recordingId}/media/1080p?access=x`).expect(400);
  });

  it('lets only admins delete', async () => {
    await request(api.url).delete(`/api/recordings/${recordingId}`).set(trainer.auth).expect(403);
    await request(api.url).delete(`/api/recordings/${recordingId}`).set(admin.auth).expect(204);
    await request(api.url).get(`/api/recordings/${recordingId}`).set(admin.auth).expect(404);
    await request(api.url).delete(`/api/recordings/${recordingId}`).set(admin.auth).expect(404);
  });
});
