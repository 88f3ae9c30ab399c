import type { types } from 'mediasoup';

/**
 * Codecs every room's router offers: Opus audio, VP8 video (simulcast-friendly,
 * decoded by every browser).
 *
 * Opus parameters reach the publishing browser through the send transport's
 * answer (mediasoup-client copies the router's codec parameters into it):
 * in-band FEC so a lost packet can be rebuilt from the next one, DTX so silence
 * costs almost nothing, and an average bitrate cap that keeps an audio-only
 * participant under 50 kbit/s on the wire (measured with Chromium: 42.7 kbit/s
 * at IP level with the 20 kbit/s cap, 52-55 kbit/s at Chromium's own 32 kbit/s;
 * test/e2e/live/audio-only-bitrate.e2e-spec.ts). No minptime: Chromium then
 * keeps 20 ms frames (50 packets/s).
 * NACK for audio is in mediasoup's supported capabilities for Opus, so the
 * router offers it; a receiver gets retransmissions when its device capabilities
 * include it.
 */
export function routerMediaCodecs(opusMaxAverageBitrate: number): types.RtpCodecCapability[] {
  return [
    {
      kind: 'audio',
      mimeType: 'audio/opus',
      clockRate: 48000,
      channels: 2,
      preferredPayloadType: 100,
      parameters: { useinbandfec: 1, usedtx: 1, maxaveragebitrate: opusMaxAverageBitrate },
    },
    VP8,
  ];
}

const VP8: types.RtpCodecCapability = {
  kind: 'video',
  mimeType: 'video/VP8',
  clockRate: 90000,
  preferredPayloadType: 101,
  parameters: { 'x-google-start-bitrate': 600 },
};

/**
 * NACK for Opus: mediasoup retransmits audio it still holds when the receiver
 * asks, but browsers do not list `nack` for Opus in their receive
 * capabilities, so it is never negotiated. Adding it to the receiver's
 * capabilities puts `a=rtcp-fb nack` in the consumer's offer; a browser that
 * supports audio NACK (Chromium's NetEq does) then asks for lost packets, one
 * that does not simply ignores it.
 */
export function withAudioNack(capabilities: types.RtpCapabilities): types.RtpCapabilities {
  return {
    ...capabilities,
    codecs: (capabilities.codecs ?? []).map((codec) =>
      codec.mimeType.toLowerCase() === 'audio/opus' &&
      !(codec.rtcpFeedback ?? []).some((fb) => fb.type === 'nack' && !fb.parameter)
        ? { ...codec, rtcpFeedback: [...(codec.rtcpFeedback ?? []), { type: 'nack', parameter: '' }] }
        : codec,
    ),
  };
}
