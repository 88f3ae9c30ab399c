/**
 * A course's autoRecord setting (issue 13) with the live service and a real
 * mediasoup worker: the room is recorded as soon as a host is in it (not
 * before), the running recording writes its heartbeat, survives a mediasoup
 * worker death like a manual one, and a host's stop by hand is not undone.
 * A course without the setting is not recorded. Also prints each track's start
 * latency (recording start to first RTP packet).
 */
import { getModelToken } from '@nestjs/mongoose';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Model, Types } from 'mongoose';
import { Course, Recording } from '@balai/database';
import type { MediaService as MediaServiceType } from '../../../apps/live/src/media/media.service';
import type { WorkerPoolService as WorkerPoolType } from '../../../apps/live/src/media/worker-pool.service';
import type { RecordingService as RecordingServiceType } from '../../../apps/live/src/recording/recording.service';
import type { RoomRegistry as RoomRegistryType } from '../../../apps/live/src/rooms/room-registry.service';
import { LiveClient, RunningLive, startLiveApp, TestCourse } from '../../support/live-app';
import { FakeSource, prepareFakeMedia, publishFake } from './support/fake-publisher';

const spool = mkdtempSync(join(tmpdir(), 'balai-rec-auto-'));
process.env.RECORDING_SPOOL_DIR = spool;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('automatic recording (course autoRecord)', () => {
  let live: RunningLive;
  let course: TestCourse;
  let plain: TestCourse;
  const clients: LiveClient[] = [];
  const fakes: FakeSource[] = [];

  beforeAll(async () => {
    for (const what of ['0x2040ff', 'tone']) prepareFakeMedia(what);
    live = await startLiveApp();
    const courses = live.app.get<Model<Course>>(getModelToken(Course.name));
    course = await live.factory.course();
    plain = await live.factory.course();
    await courses.updateOne({ _id: course.courseId }, { $set: { autoRecord: true } });
  }, 180_000);

  afterAll(async () => {
    for (const fake of fakes) fake.stop();
    for (const client of clients) client.close();
    await live?.close();
    rmSync(spool, { recursive: true, force: true });
  });

  const connect = async (token: string) => {
    const client = await LiveClient.connect(live.url, token);
    clients.push(client);
    return client;
  };

  it('starts when the host arrives, beats, survives a worker death, and stays stopped once stopped by hand', async () => {
    const { MediaService } = await import('../../../apps/live/src/media/media.service');
    const { WorkerPoolService } = await import('../../../apps/live/src/media/worker-pool.service');
    const { RecordingService } = await import('../../../apps/live/src/recording/recording.service');
    const { RoomRegistry } = await import('../../../apps/live/src/rooms/room-registry.service');
    const media = live.app.get<MediaServiceType>(MediaService);
    const pool = live.app.get<WorkerPoolType>(WorkerPoolService);
    const recordings = live.app.get<RecordingServiceType>(RecordingService);
    const registry = live.app.get<RoomRegistryType>(RoomRegistry);
    const recordingModel = live.app.get<Model<Recording>>(getModelToken(Recording.name));

    // A participant alone in the room: nothing is recorded yet.
    const participant = await connect((await live.factory.participant(course)).token);
    await participant.ok('room:join', { sessionId: course.sessionId });
    await sleep(1500);
    expect(recordings.recorderOf(course.sessionId)).toBeUndefined();

    const host = await connect(course.trainer.token);
    const statusSeen = participant.next('recording:status', 15_000);
    const joinedAt = Date.now();
    await host.ok('room:join', { sessionId: course.sessionId });
    expect(await statusSeen).toMatchObject({ recording: true });
    console.log(`automatic recording started ${Date.now() - joinedAt} ms after the host joined`);
    const recorder = recordings.recorderOf(course.sessionId)!;
    const recordingId = recorder.recordingId;
    expect(await participant.ok('recording:query', { sessionId: course.sessionId })).toMatchObject({
      recording: true,
      recordingId,
    });
    const stored = await recordingModel.findById(recordingId).lean();
    expect(stored).toMatchObject({ status: 'recording', auto: true });
    expect(String(stored!.startedBy)).toBe(course.trainer.id);

    const room = registry.get(course.sessionId)!;
    const publish = async () => {
      const peer = room.peers.get(course.trainer.id)!;
      const publishedAt = Date.now();
      fakes.push(await publishFake(media, room, peer, 'camera'));
      fakes.push(await publishFake(media, room, peer, 'mic'));
      return publishedAt;
    };
    const receiving = (count: number) =>
      until(`${count} tracks receiving`, () => {
        const tracks = recorder.manifest.tracks;
        return tracks.length >= count && tracks.every((t) => t.firstPacketAt !== null) ? tracks : undefined;
      });
    const publishedAt = await publish();
    const first = await receiving(2);
    console.log(
      `track start latency (publish to first packet): ${first.map((t) => `${t.kind} ${t.firstPacketAt! - publishedAt} ms`).join(', ')}; ` +
        `recorder start-up: ${JSON.stringify(recorder.startupTimings())}`,
    );

    // The heartbeat moves on while it records.
    await until('a heartbeat', async () => {
      const doc = await recordingModel.findById(recordingId).lean();
      return doc!.heartbeatAt!.getTime() > stored!.heartbeatAt!.getTime() ? true : undefined;
    });

    // A mediasoup worker death: the same recording goes on with the republished producers.
    const deadPid = room.workerPid!;
    process.kill(deadPid, 'SIGKILL');
    await until('the room rebuilt', () => (room.workerPid !== undefined && room.workerPid !== deadPid) || undefined);
    for (const fake of fakes.splice(0)) fake.stop();
    await publish();
    await receiving(4);
    expect(recordings.recorderOf(course.sessionId)?.recordingId).toBe(recordingId);
    expect(pool.pids()).not.toContain(deadPid);

    // Stopped by hand: not started again in this room.
    const stoppedSeen = participant.next('recording:status', 15_000);
    await host.ok('recording:stop', {});
    expect(await stoppedSeen).toMatchObject({ recording: false });
    await sleep(2000);
    expect(recordings.recorderOf(course.sessionId)).toBeUndefined();
    const done = await recordingModel.findById(recordingId).lean();
    expect(done!.status).not.toBe('recording');
    expect(done!.gaps.map((g) => g.reason)).toContain('worker-died');
    expect(await recordingModel.countDocuments({ sessionId: new Types.ObjectId(course.sessionId) })).toBe(1);
  }, 150_000);

  it('does not record a course without autoRecord', async () => {
    const { RecordingService } = await import('../../../apps/live/src/recording/recording.service');
    const recordings = live.app.get<RecordingServiceType>(RecordingService);
    const host = await connect(plain.trainer.token);
    await host.ok('room:join', { sessionId: plain.sessionId });
    await sleep(2000);
    expect(recordings.recorderOf(plain.sessionId)).toBeUndefined();
    expect(recordings.status(plain.sessionId)).toMatchObject({ recording: false });
  }, 60_000);
});
