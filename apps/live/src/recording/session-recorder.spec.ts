import { pickStage } from './session-recorder';

const cand = (peerId: string, role: string, source: 'camera' | 'mic' | 'screen') => ({
  producer: { kind: source === 'mic' ? 'audio' : 'video' },
  peerId,
  role,
  source,
});

describe('pickStage (what the recording shows)', () => {
  const hostCam = cand('trainer', 'host', 'camera');
  const modCam = cand('admin', 'moderator', 'camera');
  const otherCam = cand('other', 'moderator', 'camera');
  const screen = cand('admin', 'moderator', 'screen');
  const mic = cand('trainer', 'host', 'mic');

  it('shows a screen share first, whoever shares it', () => {
    expect(pickStage([hostCam, mic, screen], 'trainer')).toBe(screen);
  });

  it('else the host’s camera, even when someone else speaks', () => {
    expect(pickStage([modCam, hostCam, mic], 'admin')).toBe(hostCam);
  });

  it('else the active speaker’s camera', () => {
    expect(pickStage([otherCam, modCam], 'admin')).toBe(modCam);
    expect(pickStage([otherCam, modCam], 'other')).toBe(otherCam);
  });

  it('else any camera, and nothing without video', () => {
    expect(pickStage([otherCam, modCam], null)).toBe(otherCam);
    expect(pickStage([mic], 'trainer')).toBeUndefined();
  });
});
