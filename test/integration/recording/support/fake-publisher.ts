/**
 * A fake camera, microphone or screen: ffmpeg generates a solid colour (VP8)
 * or a tone (Opus) and sends RTP into a mediasoup PlainTransport producer of
 * the room, attached with the live service's own MediaService.attachProducer
 * (the path the SFU bench uses), so the room announces and records it like a
 * browser's producer.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { types } from 'mediasoup';
import type { MediaService } from '../../../../apps/live/src/media/media.service';
import type { Peer } from '../../../../apps/live/src/rooms/peer';
import type { Room } from '../../../../apps/live/src/rooms/room';

export interface FakeSource {
  producer: types.Producer;
  process: ChildProcess;
  stop(): void;
}

let nextSsrc = 0x10000000;

export async function publishFake(
  media: MediaService,
  room: Room,
  peer: Peer,
  source: 'camera' | 'screen' | 'mic',
  colour = '0x2040ff',
  size = '320x180',
): Promise<FakeSource> {
  const transport = await room.router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
    // ffmpeg sends its first RTCP report before any RTP, from another port: with rtcp-mux
    // comedia would latch onto that port and drop the RTP, so RTCP has its own port here.
    rtcpMux: false,
    comedia: true,
  });
  const ssrc = (nextSsrc += 17);
  const video = source !== 'mic';
  const rtpParameters = video
    ? { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc }] }
    : {
        codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc }],
      };
  const producer = await media.attachProducer(room, peer, transport, {
    kind: video ? 'video' : 'audio',
    source,
    rtpParameters: rtpParameters as types.RtpParameters,
  });
  const target = `rtp://127.0.0.1:${transport.tuple.localPort}?rtcpport=${transport.rtcpTuple!.localPort}&pkt_size=1200`;
  // Sent as-is from a file encoded beforehand: encoding while sending fell behind real time at load 30.
  const args = [
    ...['-re', '-i', prepareFakeMedia(video ? colour : 'tone', size), '-c', 'copy'],
    ...['-ssrc', String(ssrc), '-payload_type', video ? '101' : '100', '-f', 'rtp', target],
  ];
  const child = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], { stdio: 'ignore' });
  return {
    producer,
    process: child,
    stop: () => {
      child.kill('SIGKILL');
      producer.close();
      transport.close();
    },
  };
}

/**
 * A 30 s VP8 clip of one colour (a key frame every half second: ffmpeg does not answer a PLI as a
 * browser does) or an Opus tone, encoded once per run and cached in the temp directory.
 */
export function prepareFakeMedia(what: string, size = '320x180'): string {
  const path = join(tmpdir(), `balai-fake-${what}${what === 'tone' ? '' : `-${size}`}.mkv`);
  if (existsSync(path)) return path;
  const args =
    what === 'tone'
      ? ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-ac', '2', '-c:a', 'libopus', '-b:a', '32k']
      : [
          ...['-f', 'lavfi', '-i', `color=c=${what}:s=${size}:r=15`, '-c:v', 'libvpx'],
          ...['-deadline', 'realtime', '-cpu-used', '8', '-b:v', '100k'],
          ...['-force_key_frames', 'expr:gte(t,n_forced*0.5)'],
        ];
  const partial = `${path}.${process.pid}.part`;
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args, '-t', '30', '-f', 'matroska', partial]);
  renameSync(partial, path);
  return path;
}

export interface Probe {
  duration: number;
  streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number }>;
}

export function ffprobe(path: string): Probe {
  const out = execFileSync('ffprobe', [
    ...['-v', 'error', '-show_entries', 'format=duration:stream=codec_type,codec_name,width,height'],
    ...['-of', 'json', path],
  ]).toString();
  const parsed = JSON.parse(out) as { format: { duration: string }; streams: Probe['streams'] };
  return { duration: Number(parsed.format.duration), streams: parsed.streams };
}

/** The average colour of the frame at `seconds` (RGB, 0-255). */
export function colourAt(path: string, seconds: number): [number, number, number] {
  const raw = execFileSync('ffmpeg', [
    ...['-v', 'error', '-ss', String(seconds), '-i', path, '-frames:v', '1'],
    ...['-vf', 'scale=1:1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
  ]);
  return [raw[0], raw[1], raw[2]];
}
