/**
 * npm run bench:recording (issue 13). Two figures, and the start latency (recording:start to each
 * track's first RTP packet, with the recorder ffmpeg's spawn-to-listening time):
 *  1. The recorder's CPU while a live session with one host (fake camera + microphone through the live
 *     service's own media path and a real mediasoup worker) is recorded: the ffmpeg processes that copy
 *     RTP to Matroska, summed, as a percentage of one core (goal < 5%: nothing is re-encoded).
 *  2. Composing speed: seconds of recording composed per second of wall time by the worker's composer
 *     (H.264 + AAC, 720p and 360p in one pass, -preset veryfast, 2 threads; goal >= 4x for 720p).
 * Options: --seconds N (recording length, default 30), --camera WxH (default 1280x720: a camera-sized
 * stream makes the composer decode what a real one would).
 * Heavy: run it on a quiet machine; it prints the load average next to the figures.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = argv.indexOf(`--${name}`);
  return index !== -1 && argv[index + 1] ? argv[index + 1] : fallback;
};
const SECONDS = Number(option('seconds', '30'));
const CAMERA = option('camera', '1280x720');

const spool = mkdtempSync(join(tmpdir(), 'balai-rec-bench-'));
Object.assign(process.env, {
  NODE_ENV: 'development',
  LOG_LEVEL: 'silent',
  MEDIASOUP_NUM_WORKERS: '1',
  REDIS_PREFIX: `bench_rec_${process.pid}`,
  MONGODB_URI: process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027/balai_bench_recording',
  RECORDING_SPOOL_DIR: spool,
  LIVE_PORT: '0',
});

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
function cpuTicks(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const { startLiveApp, LiveClient } = await import('../../test/support/live-app');
  const { publishFake, prepareFakeMedia } = await import('../../test/integration/recording/support/fake-publisher');
  const { MediaService } = await import('../../apps/live/src/media/media.service');
  const { RecordingService } = await import('../../apps/live/src/recording/recording.service');
  const { RoomRegistry } = await import('../../apps/live/src/rooms/room-registry.service');
  const { RecordingComposer } = await import('../../apps/worker/src/recordings/recording-composer');

  console.log(`preparing fake media (${CAMERA})...`);
  prepareFakeMedia('0x2040ff', CAMERA);
  prepareFakeMedia('tone');
  const live = await startLiveApp();
  const course = await live.factory.course();
  const host = await LiveClient.connect(live.url, course.trainer.token);
  await host.ok('room:join', { sessionId: course.sessionId });
  const room = live.app.get(RoomRegistry).get(course.sessionId)!;
  const peer = room.peers.get(course.trainer.id)!;
  const media = live.app.get(MediaService);
  const fakes = [
    await publishFake(media, room, peer, 'camera', '0x2040ff', CAMERA),
    await publishFake(media, room, peer, 'mic'),
  ];
  await sleep(1500);
  const startAsked = Date.now();
  const started = await host.ok('recording:start', {});
  const recorder = live.app.get(RecordingService).recorderOf(course.sessionId)!;
  // Start latency: from recording:start to each track's first RTP packet (at most 10 s).
  while (Date.now() - startAsked < 10_000) {
    const tracks = recorder.manifest.tracks;
    if (tracks.length >= 2 && tracks.every((t) => t.firstPacketAt !== null)) break;
    await sleep(20);
  }
  const startLatencyMs = Object.fromEntries(
    recorder.manifest.tracks.map((t) => [t.kind, t.firstPacketAt === null ? null : t.firstPacketAt - startAsked]),
  );
  const recorderStartup = recorder.startupTimings();
  await sleep(2000); // the recorder processes settle
  const loadDuring = load();
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const t0 = Date.now();
  while (Date.now() - t0 < SECONDS * 1000) {
    for (const { pid } of recorder.recorderPids()) {
      const ticks = cpuTicks(pid);
      if (ticks === null) continue;
      if (!first.has(pid)) first.set(pid, ticks);
      last.set(pid, ticks);
    }
    await sleep(500);
  }
  const wall = (Date.now() - t0) / 1000;
  let used = 0;
  for (const [pid, start] of first) used += (last.get(pid)! - start) / CLK_TCK;
  const recorderPercent = (100 * used) / wall;
  await host.ok('recording:stop', {});
  for (const fake of fakes) fake.stop();
  host.close();
  await live.close();

  const composer = new RecordingComposer();
  const c0 = Date.now();
  const result = await composer.compose(join(spool, started.recordingId!), { threads: 2 });
  const composeSeconds = (Date.now() - c0) / 1000;
  const speed = result.durationSeconds / composeSeconds;
  const loadAfter = load();
  rmSync(spool, { recursive: true, force: true });

  const report = {
    recorderProcesses: first.size,
    startLatencyMs,
    recorderStartup,
    recorderCpuPercentOfOneCore: Number(recorderPercent.toFixed(2)),
    recordedSeconds: Number(result.durationSeconds.toFixed(1)),
    composeWallSeconds: Number(composeSeconds.toFixed(1)),
    composeSpeedX: Number(speed.toFixed(2)),
    camera: CAMERA,
    loadAverageWhileRecording: loadDuring,
    loadAverageAfterCompose: loadAfter,
  };
  console.log(
    `start latency (recording:start to first packet): ${JSON.stringify(startLatencyMs)} ms; ` +
      `recorder start-up (spawn to listening / first packet): ${recorderStartup.map((r) => `${r.stream} ${r.listenMs}/${r.firstPacketMs} ms`).join(', ')}\n` +
      `recorder CPU: ${report.recorderCpuPercentOfOneCore}% of one core (${first.size} ffmpeg processes, goal < 5%)\n` +
      `composing: ${report.recordedSeconds} s in ${report.composeWallSeconds} s = ${report.composeSpeedX}x real time ` +
      `(720p + 360p in one pass, veryfast, 2 threads; goal >= 4x)\n` +
      `load average while recording: ${loadDuring}; after composing: ${loadAfter}`,
  );
  console.log(JSON.stringify(report));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
