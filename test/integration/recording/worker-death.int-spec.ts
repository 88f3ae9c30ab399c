/**
 * A mediasoup worker that dies while a session is recorded (issue 13): the room
 * is rebuilt on a new worker, the clients publish again (here the fake
 * publishers do it, as browsers do on media:restart), and the recording goes
 * on with the new producers; the cut is a 'worker-died' gap in the manifest.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECORDING_MANIFEST_FILE, RecordingManifest } from '@balai/queue';
import type { MediaService as MediaServiceType } from '../../../apps/live/src/media/media.service';
import type { WorkerPoolService as WorkerPoolType } from '../../../apps/live/src/media/worker-pool.service';
import type { RecordingService as RecordingServiceType } from '../../../apps/live/src/recording/recording.service';
import type { RoomRegistry as RoomRegistryType } from '../../../apps/live/src/rooms/room-registry.service';
import { LiveClient, RunningLive, startLiveApp, TestCourse } from '../../support/live-app';
import { FakeSource, prepareFakeMedia, publishFake } from './support/fake-publisher';

const spool = mkdtempSync(join(tmpdir(), 'balai-rec-wd-'));
process.env.RECORDING_SPOOL_DIR = spool;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('recording across a mediasoup worker death', () => {
  let live: RunningLive;
  let course: TestCourse;
  let host: LiveClient;
  const fakes: FakeSource[] = [];

  beforeAll(async () => {
    for (const what of ['0x2040ff', 'tone']) prepareFakeMedia(what);
    live = await startLiveApp();
    course = await live.factory.course();
    host = await LiveClient.connect(live.url, course.trainer.token);
    await host.ok('room:join', { sessionId: course.sessionId });
  }, 180_000);

  afterAll(async () => {
    for (const fake of fakes) fake.stop();
    host?.close();
    await live?.close();
    rmSync(spool, { recursive: true, force: true });
  });

  it('resumes recording the republished producers and reports the gap', async () => {
    const { MediaService } = await import('../../../apps/live/src/media/media.service');
    const { WorkerPoolService } = await import('../../../apps/live/src/media/worker-pool.service');
    const { RoomRegistry } = await import('../../../apps/live/src/rooms/room-registry.service');
    const media = live.app.get<MediaServiceType>(MediaService);
    const pool = live.app.get<WorkerPoolType>(WorkerPoolService);
    const { RecordingService } = await import('../../../apps/live/src/recording/recording.service');
    const room = live.app.get<RoomRegistryType>(RoomRegistry).get(course.sessionId)!;
    const recordings = live.app.get<RecordingServiceType>(RecordingService);
    // Until `count` tracks are recorded and each has had its first packet (ffmpeg's start-up varies
    // with the machine's load, so a fixed sleep would kill the worker before some track began).
    const tracksReceiving = async (count: number) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const tracks = recordings.recorderOf(course.sessionId)?.manifest.tracks ?? [];
        if (tracks.length >= count && tracks.every((t) => t.firstPacketAt !== null)) return;
        if (Date.now() > deadline)
          throw new Error(
            `tracks not all receiving after 30 s: ${JSON.stringify(tracks.map((t) => [t.file, t.firstPacketAt]))}`,
          );
        await sleep(100);
      }
    };
    const publish = async () => {
      const peer = room.peers.get(course.trainer.id)!;
      fakes.push(await publishFake(media, room, peer, 'camera'));
      fakes.push(await publishFake(media, room, peer, 'mic'));
    };
    await publish();
    await sleep(1000);
    const started = await host.ok('recording:start', {});
    await tracksReceiving(2);
    await sleep(2000);

    const deadPid = room.workerPid!;
    process.kill(deadPid, 'SIGKILL');
    await host.next('media:restart', 15_000);
    expect(room.workerPid).not.toBe(deadPid);
    expect(pool.pids()).not.toContain(deadPid);
    for (const fake of fakes.splice(0)) fake.stop();
    await publish(); // what a browser does on media:restart
    await tracksReceiving(4);
    await sleep(3000);
    await host.ok('recording:stop', {});

    const manifest = JSON.parse(
      readFileSync(join(spool, started.recordingId!, RECORDING_MANIFEST_FILE), 'utf8'),
    ) as RecordingManifest;
    const at = (t: number | null) => (t === null ? 'none' : `${t - manifest.startedAt} ms`);
    console.log(manifest.tracks.map((t) => `${t.file}: first ${at(t.firstPacketAt)}, end ${at(t.endedAt)}`).join('\n'));
    const stage = manifest.tracks.filter((t) => t.stream === 'stage');
    const audio = manifest.tracks.filter((t) => t.kind === 'audio');
    expect(stage).toHaveLength(2);
    expect(audio).toHaveLength(2);
    for (const track of [...stage, ...audio]) expect(track.firstPacketAt).not.toBeNull();
    const gaps = manifest.gaps.filter((g) => g.reason === 'worker-died');
    expect(gaps.map((g) => g.stream).sort()).toEqual(['audio:' + course.trainer.id, 'stage'].sort());
    for (const gap of gaps) expect(gap.to).toBeGreaterThan(gap.from);
    console.log(`worker-death gaps: ${gaps.map((g) => `${g.stream} ${g.to - g.from} ms`).join(', ')}`);
  }, 120_000);
});
