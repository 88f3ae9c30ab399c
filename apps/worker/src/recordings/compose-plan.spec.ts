import type { RecordingManifest } from '@balai/queue';
import { composePlan } from './compose-plan';

const track = (
  file: string,
  kind: 'audio' | 'video',
  source: 'camera' | 'mic' | 'screen',
  at: number,
  end: number,
) => ({
  file,
  kind,
  stream: kind === 'video' ? 'stage' : 'audio:p1',
  producerId: file,
  peerId: 'p1',
  source,
  firstPacketAt: at,
  endedAt: end,
});

const manifest: RecordingManifest = {
  recordingId: 'r',
  sessionId: 's',
  courseId: 'c',
  startedAt: 1_000,
  stoppedAt: 21_000,
  tracks: [
    track('cam.mkv', 'video', 'camera', 1_200, 12_000),
    track('screen.mkv', 'video', 'screen', 11_000, 21_000),
    track('mic-1.mkv', 'audio', 'mic', 1_100, 8_000),
    track('mic-2.mkv', 'audio', 'mic', 9_000, 21_000),
  ],
  gaps: [],
};

describe('composePlan', () => {
  const plan = composePlan(
    manifest,
    () => true,
    (f) => `/spool/${f}`,
    { '720p': '/o/720.mp4', '360p': '/o/360.mp4' },
  );
  const filter = plan.args[plan.args.indexOf('-filter_complex') + 1];

  it('lasts from the start to the stop', () => {
    expect(plan.durationSeconds).toBe(20);
  });

  it('switches the stage where the next stage track starts', () => {
    expect(plan.stage).toEqual([
      { file: 'cam.mkv', from: 0.2, to: 10 },
      { file: 'screen.mkv', from: 10, to: 20 },
    ]);
    expect(filter).toContain("enable='between(t,10.000,20.000)'");
  });

  it('mixes every microphone segment at its own offset', () => {
    expect(filter).toContain('adelay=100:all=1');
    expect(filter).toContain('adelay=8000:all=1');
    expect(filter).toContain('amix=inputs=2');
  });

  it('writes H.264 + AAC with faststart in both variants', () => {
    const args = plan.args.join(' ');
    expect(args.match(/-c:v libx264 -preset veryfast/g)).toHaveLength(2);
    expect(args.match(/-movflags \+faststart/g)).toHaveLength(2);
    expect(args).toContain('/o/720.mp4');
    expect(filter).toContain('scale=640:360');
  });

  it('leaves out unusable tracks and fills silence without microphones', () => {
    const silent = composePlan(
      manifest,
      (t) => t.kind === 'video',
      (f) => f,
      { '720p': 'a', '360p': 'b' },
    );
    expect(silent.args.join(' ')).toContain('anullsrc');
  });
});
