import type { types } from 'mediasoup';

/** Codecs every room's router offers: Opus audio, VP8 video (simulcast-friendly, decoded by every browser). */
export const ROUTER_MEDIA_CODECS: types.RtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100 },
  {
    kind: 'video',
    mimeType: 'video/VP8',
    clockRate: 90000,
    preferredPayloadType: 101,
    parameters: { 'x-google-start-bitrate': 600 },
  },
];
