/**
 * The ffmpeg command that composes one recording from its raw tracks: the
 * stage video switched where the stage switched (each stage track shown from
 * its first packet until the next one starts or it ends; black in a gap),
 * every microphone mixed, H.264 + AAC with faststart, at most 720p plus a
 * 360p variant from the same decode. Pure, so it is unit-tested.
 */
import type { RecordedTrack, RecordingManifest } from '@balai/queue';

export interface VariantSpec {
  name: '720p' | '360p';
  width: number;
  height: number;
  crf: number;
  audioBitrate: string;
}

export const VARIANTS: VariantSpec[] = [
  { name: '720p', width: 1280, height: 720, crf: 23, audioBitrate: '96k' },
  { name: '360p', width: 640, height: 360, crf: 27, audioBitrate: '64k' },
];

export interface ComposePlan {
  args: string[];
  durationSeconds: number;
  /** Stage intervals in seconds from the start (for the report and tests). */
  stage: Array<{ file: string; from: number; to: number }>;
}

const FPS = 20;
const seconds = (ms: number) => Math.max(0, ms / 1000);
const fixed = (n: number) => n.toFixed(3);

export function composePlan(
  manifest: RecordingManifest,
  usable: (track: RecordedTrack) => boolean,
  pathOf: (file: string) => string,
  outputs: Record<VariantSpec['name'], string>,
  threads = 2,
): ComposePlan {
  const start = manifest.startedAt;
  const stopped = manifest.stoppedAt ?? Math.max(start, ...manifest.tracks.map((t) => t.endedAt ?? start));
  const duration = seconds(stopped - start);
  const tracks = manifest.tracks.filter((t) => t.firstPacketAt !== null && usable(t));
  const video = tracks.filter((t) => t.kind === 'video').sort((a, b) => a.firstPacketAt! - b.firstPacketAt!);
  const audio = tracks.filter((t) => t.kind === 'audio');

  const inputs: string[] = [];
  const filters: string[] = [];
  const [top] = VARIANTS;
  filters.push(`color=c=black:s=${top.width}x${top.height}:r=${FPS}:d=${fixed(duration)}[base]`);
  let last = 'base';
  const stage: ComposePlan['stage'] = [];
  video.forEach((track, i) => {
    const index = inputs.length / 2;
    inputs.push('-i', pathOf(track.file));
    const from = seconds(track.firstPacketAt! - start);
    const next = video[i + 1];
    const until = Math.min(track.endedAt ?? stopped, next ? next.firstPacketAt! : stopped, stopped);
    const to = seconds(until - start);
    stage.push({ file: track.file, from, to });
    filters.push(
      `[${index}:v]setpts=PTS-STARTPTS+${fixed(from)}/TB,` +
        `scale=${top.width}:${top.height}:force_original_aspect_ratio=decrease,` +
        `pad=${top.width}:${top.height}:(ow-iw)/2:(oh-ih)/2,setsar=1[v${i}]`,
      `[${last}][v${i}]overlay=eof_action=pass:enable='between(t,${fixed(from)},${fixed(to)})'[o${i}]`,
    );
    last = `o${i}`;
  });
  filters.push(`[${last}]fps=${FPS},format=yuv420p,split=2[vtop][vsrc]`, `[vsrc]scale=640:360[vlow]`);

  const mixed: string[] = [];
  audio.forEach((track, j) => {
    const index = inputs.length / 2;
    inputs.push('-i', pathOf(track.file));
    const delayMs = Math.max(0, Math.round(track.firstPacketAt! - start));
    filters.push(`[${index}:a]aresample=48000:async=1:first_pts=0,adelay=${delayMs}:all=1[a${j}]`);
    mixed.push(`[a${j}]`);
  });
  if (mixed.length === 0) filters.push(`anullsrc=r=48000:cl=stereo,atrim=0:${fixed(duration)}[amix]`);
  else filters.push(`${mixed.join('')}amix=inputs=${mixed.length}:duration=longest:normalize=0[amix]`);
  filters.push(`[amix]apad,asplit=2[atop][alow]`);

  const out = (spec: VariantSpec, v: string, a: string): string[] => [
    '-map',
    `[${v}]`,
    '-map',
    `[${a}]`,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-profile:v',
    'main',
    '-crf',
    String(spec.crf),
    '-g',
    String(FPS * 2),
    '-threads',
    String(threads),
    '-c:a',
    'aac',
    '-b:a',
    spec.audioBitrate,
    '-ac',
    '2',
    '-movflags',
    '+faststart',
    '-t',
    fixed(duration),
    '-f',
    'mp4',
    outputs[spec.name],
  ];

  return {
    args: [
      '-hide_banner',
      '-nostdin',
      '-y',
      '-loglevel',
      'error',
      '-progress',
      'pipe:1',
      ...inputs,
      '-filter_complex',
      filters.join(';'),
      ...out(VARIANTS[0], 'vtop', 'atop'),
      ...out(VARIANTS[1], 'vlow', 'alow'),
    ],
    durationSeconds: duration,
    stage,
  };
}
