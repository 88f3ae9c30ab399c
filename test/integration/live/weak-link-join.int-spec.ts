/**
 * Issue 10, first audio on a weak link: `room:join` with `recvTransport: true`
 * brings the receive transport in its ack (one round trip less), which
 * consumes and connects like one from `transport:create`; without the flag the
 * ack is as before.
 */
import { LiveErrorCode } from '@balai/live-contract';
import { LiveClient, RunningLive, startLiveApp, TestCourse } from '../../support/live-app';

const micParameters = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc: 7001 }],
};

describe('room:join with the receive transport (#10)', () => {
  let live: RunningLive;
  let course: TestCourse;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    live = await startLiveApp();
    course = await live.factory.course();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await live.close();
  });

  it('returns a receive transport that consumes and connects; a join without the flag has none', async () => {
    const host = await LiveClient.connect(live.url, course.trainer.token);
    clients.push(host);
    const hostJoin = await host.ok('room:join', { sessionId: course.sessionId });
    expect(hostJoin.recvTransport).toBeUndefined();
    const send = await host.ok('transport:create', { direction: 'send' });
    const { producerId } = await host.ok('media:produce', {
      transportId: send.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters: micParameters,
    });

    const user = await live.factory.participant(course);
    const phone = await LiveClient.connect(live.url, user.token);
    clients.push(phone);
    const joined = await phone.ok('room:join', { sessionId: course.sessionId, recvTransport: true });
    const transport = joined.recvTransport!;
    expect(transport).toMatchObject({ id: expect.any(String), iceParameters: expect.any(Object) });
    expect(transport.iceCandidates.length).toBeGreaterThan(0);
    expect(transport.dtlsParameters.fingerprints.length).toBeGreaterThan(0);
    expect(joined.producers.map((p) => p.producerId)).toContain(producerId);

    // media:consume accepts only the peer's receive transports.
    const consumed = await phone.ok('media:consume', {
      transportId: transport.id,
      producerId,
      rtpCapabilities: joined.routerRtpCapabilities,
    });
    expect(consumed).toMatchObject({ producerId, kind: 'audio', paused: true });
    await phone.ok('transport:connect', {
      transportId: transport.id,
      dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] },
    });
  });

  it('refuses a non-boolean flag as a bad payload', async () => {
    const user = await live.factory.participant(course);
    const client = await LiveClient.connect(live.url, user.token);
    clients.push(client);
    expect(await client.request('room:join', { sessionId: course.sessionId, recvTransport: 'yes' })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.InvalidPayload },
    });
  });
});
