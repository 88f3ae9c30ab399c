import { recorderArgs, recorderSdp } from './sdp';

describe('recorder SDP', () => {
  it('describes an Opus stream with its parameters and rtcp-mux', () => {
    const sdp = recorderSdp(
      'audio',
      { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } },
      40000,
    );
    expect(sdp).toContain('m=audio 40000 RTP/AVP 100\r\n');
    expect(sdp).toContain('a=rtpmap:100 opus/48000/2\r\n');
    expect(sdp).toContain('a=fmtp:100 useinbandfec=1\r\n');
    expect(sdp).toContain('a=rtcp-mux');
  });

  it('describes a VP8 stream without channels or fmtp', () => {
    const sdp = recorderSdp('video', { mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }, 40002);
    expect(sdp).toContain('a=rtpmap:101 VP8/90000\r\n');
    expect(sdp).not.toContain('fmtp');
  });

  it('copies the stream into Matroska without re-encoding', () => {
    const args = recorderArgs('/x.sdp', '/y.mkv');
    expect(args.join(' ')).toContain('-c copy');
    expect(args.slice(-3)).toEqual(['-f', 'matroska', '/y.mkv']);
  });
});
