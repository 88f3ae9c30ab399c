/**
 * The worker's compose job as its own process (issue 13): a stopped
 * recording's spooled tracks become two MP4 variants in GridFS, the recording
 * is ready with its progress at 100 and the raw tracks are removed; a
 * recording whose track cannot be read fails with ffmpeg's reason on the
 * recording, is retried, and ends `failed` with the reason kept.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { mongo, Types } from 'mongoose';
import { Recording, RecordingSchema } from '@balai/database';
import { composeJobId, QUEUES, RECORDING_BUCKET, RECORDING_JOBS, RecordingManifest } from '@balai/queue';
import { connectDb, Db } from '../../support/db-factories';
import { WorkerProcess } from '../../support/worker-process';
import { prepareFakeMedia } from './support/fake-publisher';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('compose job (worker process)', () => {
  const spool = mkdtempSync(join(tmpdir(), 'balai-rec-job-'));
  let db: Db;
  let queue: Queue;
  let worker: WorkerProcess;

  beforeAll(async () => {
    db = await connectDb();
    const url = new URL(process.env.REDIS_URL!);
    queue = new Queue(QUEUES.recordings, {
      connection: { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null },
      prefix: process.env.REDIS_PREFIX,
    });
    worker = new WorkerProcess({ RECORDING_SPOOL_DIR: spool, RECORDING_RETENTION_DAYS: '30' });
    await worker.start();
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await queue?.close();
    await db?.close();
    rmSync(spool, { recursive: true, force: true });
  });

  const recordings = () => db.connection.model(Recording.name, RecordingSchema);

  async function seed(tracks: (dir: string) => RecordingManifest['tracks']): Promise<string> {
    const id = new Types.ObjectId();
    const dir = join(spool, String(id));
    mkdirSync(dir, { recursive: true });
    const startedAt = Date.now() - 10_000;
    const manifest: RecordingManifest = {
      recordingId: String(id),
      sessionId: String(new Types.ObjectId()),
      courseId: String(new Types.ObjectId()),
      startedAt,
      stoppedAt: startedAt + 6000,
      tracks: tracks(dir).map((t) => ({ ...t, firstPacketAt: startedAt + (t.firstPacketAt ?? 0) })),
      gaps: [],
    };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    await recordings().create({
      _id: id,
      sessionId: new Types.ObjectId(manifest.sessionId),
      courseId: new Types.ObjectId(manifest.courseId),
      startedBy: new Types.ObjectId(),
      status: 'recorded',
      startedAt: new Date(startedAt),
      stoppedAt: new Date(startedAt + 6000),
    });
    await queue.add(
      RECORDING_JOBS.compose,
      { recordingId: String(id) },
      { jobId: composeJobId(String(id)), attempts: 2, backoff: { type: 'fixed', delay: 500 }, removeOnFail: false },
    );
    return String(id);
  }

  async function until(id: string, done: (r: Recording) => boolean, timeoutMs = 150_000): Promise<Recording> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await recordings().findById(id).lean<Recording>();
      if (r && done(r)) return r;
      if (Date.now() > deadline) throw new Error(`recording ${id}: ${JSON.stringify(r)}\n${worker.log.slice(-3000)}`);
      await sleep(500);
    }
  }

  it('composes both variants into GridFS and removes the raw tracks', async () => {
    const id = await seed((dir) => {
      const cut = (from: string, to: string) =>
        execFileSync('ffmpeg', ['-v', 'error', '-i', from, '-t', '6', '-c', 'copy', join(dir, to)]);
      cut(prepareFakeMedia('0x2040ff'), 'stage-1-1.mkv');
      cut(prepareFakeMedia('tone'), 'audio-1-1.mkv');
      const base = { producerId: 'p', peerId: 'u', endedAt: null };
      return [
        { ...base, file: 'stage-1-1.mkv', kind: 'video', stream: 'stage', source: 'camera', firstPacketAt: 0 },
        { ...base, file: 'audio-1-1.mkv', kind: 'audio', stream: 'audio:u', source: 'mic', firstPacketAt: 0 },
      ];
    });
    const ready = await until(id, (r) => r.status === 'ready');
    expect(ready.progress).toBe(100);
    expect(ready.durationSeconds).toBeCloseTo(6, 0);
    expect(ready.expiresAt!.getTime() - ready.startedAt.getTime()).toBe(30 * 86_400_000);
    expect(ready.variants.map((v) => [v.name, v.height])).toEqual([
      ['720p', 720],
      ['360p', 360],
    ]);
    const bucket = new mongo.GridFSBucket(db.connection.db!, { bucketName: RECORDING_BUCKET });
    for (const variant of ready.variants) {
      const [file] = await bucket.find({ _id: new Types.ObjectId(variant.storageKey) }).toArray();
      expect(file.length).toBe(variant.size);
      expect(variant.size).toBeGreaterThan(1000);
    }
    expect(existsSync(join(spool, id))).toBe(false);
  }, 180_000);

  it('keeps the reason of a failed composition visible, retries, and ends failed', async () => {
    const id = await seed((dir) => {
      writeFileSync(join(dir, 'stage-1-1.mkv'), Buffer.alloc(4096, 7));
      const base = { producerId: 'p', peerId: 'u', endedAt: null };
      return [{ ...base, file: 'stage-1-1.mkv', kind: 'video', stream: 'stage', source: 'camera', firstPacketAt: 0 }];
    });
    const failed = await until(id, (r) => r.status === 'failed');
    expect(failed.error).toMatch(/ffmpeg exited/);
    expect(failed.attempts).toBe(2);
    const job = await queue.getJob(composeJobId(id));
    expect(job!.attemptsMade).toBe(2);
    expect(job!.failedReason).toMatch(/ffmpeg exited/);
  }, 180_000);
});
