/**
 * Hands, invitations and moderation over socket.io, with real mediasoup
 * producers (created on unconnected send transports; no browser needed).
 */
import { LiveErrorCode } from '@balai/live-contract';
import { LiveClient, RunningLive, startLiveApp, TestCourse, TestUser } from '../../support/live-app';

const micParameters = (ssrc: number) => ({
  codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc }],
});
const cameraParameters = (ssrc: number) => ({
  codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }],
  encodings: [{ ssrc }, { ssrc: ssrc + 1 }, { ssrc: ssrc + 2 }],
});

describe('hands, invitations and moderation', () => {
  let live: RunningLive;
  let course: TestCourse;
  let host: LiveClient;
  let ann: LiveClient;
  let ben: LiveClient;
  let annUser: TestUser;
  let benUser: TestUser;

  beforeAll(async () => {
    live = await startLiveApp();
    course = await live.factory.course();
    annUser = await live.factory.participant(course);
    benUser = await live.factory.participant(course);
    host = await LiveClient.connect(live.url, course.trainer.token);
    await host.ok('room:join', { sessionId: course.sessionId });
    ann = await LiveClient.connect(live.url, annUser.token);
    await ann.ok('room:join', { sessionId: course.sessionId });
    ben = await LiveClient.connect(live.url, benUser.token);
    await ben.ok('room:join', { sessionId: course.sessionId });
  });
  afterAll(async () => {
    for (const client of [host, ann, ben]) client?.close();
    await live.close();
  });

  it('keeps raised hands in order and lets a participant lower only their own', async () => {
    await ben.ok('hand:raise');
    await ann.ok('hand:raise');
    expect(await ann.ok('hand:raise')).toEqual({ queue: [benUser.id, annUser.id] });
    expect(await host.next('hands:updated')).toEqual({ queue: [benUser.id] });
    expect(await ann.request('hand:lower', { peerId: benUser.id })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.Forbidden },
    });
    expect(await ann.ok('hand:lower', {})).toEqual({ queue: [benUser.id] });
    expect(await ann.ok('hand:raise')).toEqual({ queue: [benUser.id, annUser.id] });
  });

  it('invites a participant to speak (mic only), which takes them out of the queue', async () => {
    const info = await host.ok('speak:invite', { peerId: annUser.id, camera: false });
    expect(info).toMatchObject({ canSpeak: true, canCamera: false, handRaised: false });
    expect(await ann.next('speak:granted')).toEqual({ camera: false });
    const transport = await ann.ok('transport:create', { direction: 'send' });
    const mic = await ann.ok('media:produce', {
      transportId: transport.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters: micParameters(5001),
    });
    expect(await host.next('producer:new')).toMatchObject({
      producerId: mic.producerId,
      peerId: annUser.id,
      source: 'mic',
    });
    expect(
      await ann.request('media:produce', {
        transportId: transport.id,
        kind: 'video',
        source: 'camera',
        rtpParameters: cameraParameters(6001),
      }),
    ).toMatchObject({ ok: false, error: { code: LiveErrorCode.Forbidden } });
    expect(
      await ann.request('media:produce', {
        transportId: transport.id,
        kind: 'video',
        source: 'screen',
        rtpParameters: cameraParameters(7001),
      }),
    ).toMatchObject({ ok: false, error: { code: LiveErrorCode.Forbidden } });
    expect(
      await ann.request('media:produce', {
        transportId: transport.id,
        kind: 'audio',
        source: 'mic',
        rtpParameters: micParameters(5002),
      }),
    ).toMatchObject({ ok: false, error: { code: LiveErrorCode.BadState } });
  });

  it('mutes a participant microphone on the server and tells the room', async () => {
    const { producerIds } = await host.ok('moderation:mute', { peerId: annUser.id });
    expect(await ben.next('producer:paused')).toEqual({ producerId: producerIds[0], paused: true });
    expect(await host.request('moderation:mute', { peerId: benUser.id })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.NotFound },
    });
  });

  it('stops a participant camera and withdraws the camera permission', async () => {
    await host.ok('speak:invite', { peerId: benUser.id, camera: true });
    const transport = await ben.ok('transport:create', { direction: 'send' });
    const camera = await ben.ok('media:produce', {
      transportId: transport.id,
      kind: 'video',
      source: 'camera',
      rtpParameters: cameraParameters(8001),
    });
    expect(await host.ok('moderation:stop-camera', { peerId: benUser.id })).toEqual({
      producerIds: [camera.producerId],
    });
    expect(
      await ben.request('media:produce', {
        transportId: transport.id,
        kind: 'video',
        source: 'camera',
        rtpParameters: cameraParameters(9001),
      }),
    ).toMatchObject({ ok: false, error: { code: LiveErrorCode.Forbidden } });
  });

  it('revoking speech closes the participant producers and send transport', async () => {
    expect(await host.ok('speak:revoke', { peerId: annUser.id })).toMatchObject({ canSpeak: false });
    expect(await ann.next('speak:revoked')).toEqual({});
    expect(await ben.next('producer:closed')).toHaveProperty('producerId');
    expect(await ann.request('transport:create', { direction: 'send' })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.Forbidden },
    });
    expect(await host.request('speak:revoke', { peerId: annUser.id })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.BadState },
    });
  });

  it('does not let a host moderate themselves or another host/moderator', async () => {
    expect(await host.request('moderation:remove', { peerId: course.trainer.id })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.BadState },
    });
    const adminUser = await live.factory.user('admin');
    const admin = await LiveClient.connect(live.url, adminUser.token);
    await admin.ok('room:join', { sessionId: course.sessionId });
    expect(await host.request('moderation:mute', { peerId: adminUser.id })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.Forbidden },
    });
    expect(await admin.request('moderation:remove', { peerId: course.trainer.id })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.Forbidden },
    });
    admin.close();
  });

  it('stores chat with the session and lets the host delete a message for everyone', async () => {
    const message = await ben.ok('chat:send', { text: '  hello class  ' });
    expect(message.text).toBe('hello class');
    expect(await ann.next('chat:message')).toMatchObject({ id: message.id, peerId: benUser.id });
    expect(await ann.request('chat:delete', { messageId: message.id })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.Forbidden },
    });
    await host.ok('chat:delete', { messageId: message.id });
    expect(await ben.next('chat:deleted')).toEqual({ messageId: message.id });
    const late = await LiveClient.connect(live.url, (await live.factory.participant(course)).token);
    const joined = await late.ok('room:join', { sessionId: course.sessionId });
    expect(joined.chat.map((m) => m.id)).not.toContain(message.id);
    late.close();
  });
});
