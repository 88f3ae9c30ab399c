/**
 * What the live node leaves in the spool directory for one recording
 * (`<spool>/<recordingId>/manifest.json`) and the compose job reads: every
 * track file written as-is from RTP (Matroska, one per stream and segment)
 * with the wall-clock instant of its first packet, and the gaps (a recorder
 * that died and was restarted, a mediasoup worker that died).
 */
export interface RecordedTrack {
  /** File name inside the recording's spool folder. */
  file: string;
  kind: 'audio' | 'video';
  /** 'stage' for the stage video, 'audio:<peerId>' for a speaker's microphone. */
  stream: string;
  producerId: string;
  peerId: string;
  source: 'camera' | 'mic' | 'screen';
  /** Epoch ms of the first RTP packet sent to the recorder; null if none arrived. */
  firstPacketAt: number | null;
  /** Epoch ms the track was closed (stage switch, producer gone, stop, recorder death). */
  endedAt: number | null;
}

export interface RecordedGap {
  stream: string;
  /** live-node-died: the live node stopped heartbeating; the sweep closed the recording at its last data. */
  reason: 'recorder-died' | 'worker-died' | 'live-node-died';
  from: number;
  to: number;
}

export interface RecordingManifest {
  recordingId: string;
  sessionId: string;
  courseId: string;
  startedAt: number;
  stoppedAt: number | null;
  tracks: RecordedTrack[];
  gaps: RecordedGap[];
}

export const RECORDING_MANIFEST_FILE = 'manifest.json';
