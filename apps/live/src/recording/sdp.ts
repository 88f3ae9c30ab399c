/**
 * The SDP that tells ffmpeg what arrives on its UDP port: one m-line for the
 * one stream a consumer sends (mediasoup PlainTransport, comedia off,
 * rtcp-mux). Pure, so it is unit-tested.
 */
export interface SdpCodec {
  mimeType: string;
  payloadType: number;
  clockRate: number;
  channels?: number;
  parameters?: Record<string, unknown>;
}

export function recorderSdp(kind: 'audio' | 'video', codec: SdpCodec, port: number): string {
  const name = codec.mimeType.split('/')[1];
  const channels = kind === 'audio' ? `/${codec.channels ?? 2}` : '';
  const fmtp = Object.entries(codec.parameters ?? {})
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(';');
  return [
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=balai-recorder',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=${kind} ${port} RTP/AVP ${codec.payloadType}`,
    `a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${channels}`,
    ...(fmtp ? [`a=fmtp:${codec.payloadType} ${fmtp}`] : []),
    'a=rtcp-mux',
    'a=recvonly',
    '',
  ].join('\r\n');
}

/** ffmpeg's arguments: read the SDP, write the stream as-is (no re-encoding) to Matroska. */
export function recorderArgs(sdpPath: string, outPath: string): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-protocol_whitelist',
    'file,udp,rtp',
    '-reorder_queue_size',
    '64',
    // ffmpeg would otherwise probe for 5 s before writing anything, and a stop during probing loses it all:
    // for copying, the first key frame tells all it needs.
    '-analyzeduration',
    '200000',
    '-probesize',
    '32',
    '-fpsprobesize',
    '0',
    '-i',
    sdpPath,
    '-map',
    '0',
    '-c',
    'copy',
    // Short clusters flushed at once: a recorder killed mid-way loses at most about a second.
    '-flush_packets',
    '1',
    '-cluster_time_limit',
    '1000',
    '-f',
    'matroska',
    outPath,
  ];
}
