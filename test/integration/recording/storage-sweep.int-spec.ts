/**
 * Where recordings end up and how long they stay (issue 13), with the worker as its own process
 * and the API in this one, over the same database:
 * - RECORDING_STORAGE=directory: the compose job writes both MP4s to RECORDING_STORE_DIR, the API
 *   streams them with HTTP Range (206) and as a download exactly like from GridFS, an admin's delete
 *   removes the files;
 * - the sweep closes a recording whose live node stopped heartbeating at its last spooled data (gap
 *   `live-node-died`) and composes it, fails one with nothing spooled with the reason, and leaves a
 *   live one alone;
 * - retention: an expired recording loses its files (directory and GridFS) and its document;
 * - the course setting autoRecord over REST, and the pre-entry status a participant reads.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, mongo, Types } from 'mongoose';
import request from 'supertest';
import { Course, Recording } from '@balai/database';
import { RECORDING_BUCKET, RecordingManifest } from '@balai/queue';
import type { RunningApp } from '../../support/api-app';
import { createCourse, createSession, createUser, enrolDirect, inDays, model, TestUser } from '../../support/factories';
import { WorkerProcess } from '../../support/worker-process';
import { prepareFakeMedia } from './support/fake-publisher';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const spool = mkdtempSync(join(tmpdir(), 'balai-rec-sweep-spool-'));
const storeDir = mkdtempSync(join(tmpdir(), 'balai-rec-store-'));
process.env.RECORDING_STORE_DIR = storeDir;

interface Listed {
  id: string;
  status: string;
  gaps: Array<{ stream: string; reason: string }>;
  variants: Array<{ name: string; size: number; url: string }>;
}

describe('recording storage, retention and the sweep of dead live nodes', () => {
  let api: RunningApp;
  let worker: WorkerProcess;
  let admin: TestUser;
  let trainer: TestUser;
  let participant: TestUser;
  let outsider: TestUser;
  let courseId: string;
  let sessionId: string;

  beforeAll(async () => {
    // Imported here: the API's config is read when its module is loaded, after RECORDING_STORE_DIR is set.
    const { startApiApp } = await import('../../support/api-app');
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
    for (const what of ['0x2040ff', 'tone']) prepareFakeMedia(what);
    worker = new WorkerProcess({
      RECORDING_SPOOL_DIR: spool,
      RECORDING_STORAGE: 'directory',
      RECORDING_STORE_DIR: storeDir,
      RECORDING_RETENTION_DAYS: '30',
      RECORDING_SWEEP_MS: '1000',
      RECORDING_STALE_MS: '10000',
    });
    await worker.start();
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    rmSync(spool, { recursive: true, force: true });
    rmSync(storeDir, { recursive: true, force: true });
  });

  const recordings = () => model<Recording>(api.app, Recording.name);

  async function until(id: string, done: (r: Recording | null) => boolean, timeoutMs = 150_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await recordings().findById(id).lean<Recording>();
      if (done(r)) return r;
      if (Date.now() > deadline) throw new Error(`recording ${id}: ${JSON.stringify(r)}\n${worker.log.slice(-3000)}`);
      await sleep(500);
    }
  }

  /** 6 s of spooled camera + microphone, as a live node leaves them; `stopped`: null while recording. */
  function spoolTracks(id: string, startedAt: number, stopped: number | null): void {
    const dir = join(spool, id);
    mkdirSync(dir, { recursive: true });
    const cut = (from: string, to: string) =>
      execFileSync('ffmpeg', ['-v', 'error', '-i', from, '-t', '6', '-c', 'copy', join(dir, to)]);
    cut(prepareFakeMedia('0x2040ff'), 'stage-1-1.mkv');
    cut(prepareFakeMedia('tone'), 'audio-1-1.mkv');
    const base = { producerId: 'p', peerId: 'u', firstPacketAt: startedAt, endedAt: stopped };
    const manifest: RecordingManifest = {
      recordingId: id,
      sessionId,
      courseId,
      startedAt,
      stoppedAt: stopped,
      tracks: [
        { ...base, file: 'stage-1-1.mkv', kind: 'video', stream: 'stage', source: 'camera' },
        { ...base, file: 'audio-1-1.mkv', kind: 'audio', stream: 'audio:u', source: 'mic' },
      ],
      gaps: [],
    };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  }

  async function seed(fields: Partial<Recording>): Promise<string> {
    const doc = await recordings().create({
      sessionId: new Types.ObjectId(sessionId),
      courseId: new Types.ObjectId(courseId),
      startedBy: new Types.ObjectId(trainer.id),
      status: 'recorded',
      startedAt: new Date(Date.now() - 60_000),
      ...fields,
    });
    return String(doc._id);
  }

  it('a recording of a dead live node is closed at its last data and composed into the directory, and plays from there', async () => {
    // The live node died about 2 min ago, mid-recording: its spool has 6 s, its heartbeat is old.
    const startedAt = Date.now() - 130_000;
    // The spool first, then the document: the worker sweeps every second, and a dead node's recording
    // seen before its spool is written would be failed as "nothing usable spooled" (and its folder removed).
    const id = new Types.ObjectId().toHexString();
    spoolTracks(id, startedAt, null);
    await seed({
      _id: new Types.ObjectId(id),
      status: 'recording',
      startedAt: new Date(startedAt),
      heartbeatAt: new Date(startedAt + 5000),
    } as Partial<Recording>);
    const lastData = Math.max(...['stage-1-1.mkv', 'audio-1-1.mkv'].map((f) => statSync(join(spool, id, f)).mtimeMs));

    const ready = (await until(id, (r) => r?.status === 'ready'))!;
    expect(ready.gaps).toEqual([expect.objectContaining({ stream: 'all', reason: 'live-node-died' })]);
    expect(Math.abs(ready.stoppedAt!.getTime() - lastData)).toBeLessThan(1000);
    expect(ready.variants.map((v) => [v.name, v.store])).toEqual([
      ['720p', 'directory'],
      ['360p', 'directory'],
    ]);
    for (const v of ready.variants) expect(statSync(join(storeDir, v.storageKey)).size).toBe(v.size);
    expect(existsSync(join(spool, id))).toBe(false);

    // The API reads the directory: list, Range 206 with the file's bytes, 416, download.
    const listed = (
      await request(api.url).get(`/api/sessions/${sessionId}/recordings`).set(participant.auth).expect(200)
    ).body as Listed[];
    const item = listed.find((r) => r.id === id)!;
    expect(item.gaps).toEqual([expect.objectContaining({ reason: 'live-node-died' })]);
    const variant = ready.variants.find((v) => v.name === '360p')!;
    const bytes = readFileSync(join(storeDir, variant.storageKey));
    const url = item.variants.find((v) => v.name === '360p')!.url;
    const part = await request(api.url).get(url).set('Range', 'bytes=100-199').buffer(true).expect(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${bytes.length}`);
    expect(Buffer.compare(part.body as Buffer, bytes.subarray(100, 200))).toBe(0);
    const tail = await request(api.url).get(url).set('Range', 'bytes=-64').buffer(true).expect(206);
    expect(Buffer.compare(tail.body as Buffer, bytes.subarray(bytes.length - 64))).toBe(0);
    await request(api.url).get(url).set('Range', `bytes=${bytes.length}-`).expect(416);
    const download = await request(api.url).get(`${url}&download=1`).buffer(true).expect(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="rekaman-.*-360p\.mp4"$/);
    expect(Buffer.compare(download.body as Buffer, bytes)).toBe(0);

    // An admin's delete removes the files from the directory too.
    await request(api.url).delete(`/api/recordings/${id}`).set(admin.auth).expect(204);
    for (const v of ready.variants) expect(existsSync(join(storeDir, v.storageKey))).toBe(false);
  }, 200_000);

  it('fails a dead node’s recording with nothing spooled, with the reason, and leaves a live one alone', async () => {
    const old = new Date(Date.now() - 120_000);
    const empty = await seed({ status: 'recording', startedAt: old, heartbeatAt: old });
    const live = await seed({ status: 'recording', startedAt: old, heartbeatAt: new Date() });
    const failed = (await until(empty, (r) => r?.status === 'failed', 30_000))!;
    expect(failed.error).toMatch(/live node stopped during the recording .* nothing usable was spooled/);
    await sleep(3000); // several sweeps
    expect((await recordings().findById(live).lean())!.status).toBe('recording');

    // Before entering, a participant reads that the session is being recorded; an outsider may not.
    const status = await request(api.url).get(`/api/sessions/${sessionId}/recording-status`).set(participant.auth);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ recording: true, autoRecord: false });
    await request(api.url).get(`/api/sessions/${sessionId}/recording-status`).set(outsider.auth).expect(403);
    await request(api.url)
      .get(`/api/sessions/${String(new Types.ObjectId())}/recording-status`)
      .set(participant.auth)
      .expect(404);
    // Its heartbeat goes stale: no longer "being recorded" for someone about to enter.
    await recordings().updateOne({ _id: live }, { $set: { heartbeatAt: new Date(Date.now() - 40_000) } });
    const after = await request(api.url).get(`/api/sessions/${sessionId}/recording-status`).set(participant.auth);
    expect(after.body).toMatchObject({ recording: false });
  }, 60_000);

  it('deletes expired recordings with their files (directory and GridFS), keeps the others', async () => {
    const file = `recording-${String(new Types.ObjectId())}-720p.mp4`;
    writeFileSync(join(storeDir, file), Buffer.alloc(2048, 1));
    const bucket = new mongo.GridFSBucket(api.app.get<Connection>(getConnectionToken()).db!, {
      bucketName: RECORDING_BUCKET,
    });
    const upload = bucket.openUploadStream('old-360p.mp4');
    await new Promise<void>((resolve, reject) =>
      upload
        .once('finish', () => resolve())
        .once('error', reject)
        .end(Buffer.alloc(1024, 2)),
    );
    const variants = [
      { name: '720p', store: 'directory', storageKey: file, size: 2048, width: 1280, height: 720 },
      { name: '360p', store: 'gridfs', storageKey: upload.id.toString(), size: 1024, width: 640, height: 360 },
    ] as Recording['variants'];
    const expired = await seed({ status: 'ready', variants, expiresAt: new Date(Date.now() - 1000) });
    const kept = await seed({ status: 'ready', variants: [], expiresAt: new Date(Date.now() + 86_400_000) });
    await until(expired, (r) => r === null, 30_000);
    expect(existsSync(join(storeDir, file))).toBe(false);
    expect(await bucket.find({ _id: upload.id }).toArray()).toEqual([]);
    expect(await recordings().findById(kept).lean()).not.toBeNull();
    expect(readdirSync(storeDir).filter((f) => f.endsWith('.part'))).toEqual([]);
  }, 60_000);

  it('keeps the course setting autoRecord (admin, REST) and tells participants before they enter', async () => {
    const res = await request(api.url)
      .patch(`/api/courses/${courseId}`)
      .set(admin.auth)
      .send({ autoRecord: true })
      .expect(200);
    expect(res.body).toMatchObject({ autoRecord: true });
    await request(api.url).patch(`/api/courses/${courseId}`).set(admin.auth).send({ autoRecord: 'yes' }).expect(400);
    await request(api.url).patch(`/api/courses/${courseId}`).set(admin.auth).send({ autoRecord: null }).expect(400);
    expect((await model<Course>(api.app, Course.name).findById(courseId).lean())!.autoRecord).toBe(true);
    const status = await request(api.url)
      .get(`/api/sessions/${sessionId}/recording-status`)
      .set(participant.auth)
      .expect(200);
    expect(status.body).toMatchObject({ autoRecord: true });
  });
});
