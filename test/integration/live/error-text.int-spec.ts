/**
 * Internal error text (mediasoup's, the drivers') never reaches a socket ack:
 * the client gets a stable code and message plus an error id, and the same id
 * is in the server's log line with the real cause.
 */
import { Logger } from '@nestjs/common';
import { LiveErrorCode } from '@balai/live-contract';
import { LiveClient, RunningLive, startLiveApp } from '../../support/live-app';

describe('live error acks', () => {
  let live: RunningLive;
  let client: LiveClient;

  beforeAll(async () => {
    live = await startLiveApp();
  });
  afterAll(async () => {
    client?.close();
    await live?.close();
  });

  it("a mediasoup refusal is MEDIA_ERROR with an error id, and mediasoup's text only in the log", async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const course = await live.factory.course();
    client = await LiveClient.connect(live.url, course.trainer.token);
    await client.ok('room:join', { sessionId: course.sessionId });
    const transport = await client.ok('transport:create', { direction: 'send' });
    const ack = await client.request('media:produce', {
      transportId: transport.id,
      kind: 'video',
      source: 'camera',
      rtpParameters: {
        codecs: [{ mimeType: 'video/H265', payloadType: 96, clockRate: 90000 }],
        encodings: [{ ssrc: 1111 }],
      },
    });
    expect(ack.ok).toBe(false);
    if (ack.ok) return;
    expect(ack.error).toEqual({
      code: LiveErrorCode.MediaError,
      message: 'producing failed',
      details: { errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
    const logged = warn.mock.calls.find(
      ([context]) => (context as { errorId?: string })?.errorId === ack.error.details?.errorId,
    );
    expect(logged).toBeDefined();
    expect(String((logged![0] as { err: Error }).err)).toMatch(/H265|codec/i);
    warn.mockRestore();
  });
});
