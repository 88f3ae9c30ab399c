/**
 * Every client event against malformed, unknown, out-of-order and unauthorised
 * input: each gets an error ack with the right code, and the room keeps
 * working afterwards.
 */
import { ClientEvent, ClientEventName, CLIENT_EVENTS, LiveErrorCode } from '@balai/live-contract';
import { LiveClient, RunningLive, startLiveApp, TestCourse, TestUser } from '../../support/live-app';

const UNKNOWN = 'ffffffffffffffffffffffff';
const dtlsParameters = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AA:BB' }] };
const rtpCapabilities = { codecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }] };
const rtpParameters = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc: 1 }],
};

/** A well-formed payload per event (ids unknown to the server). */
const VALID: Record<ClientEventName, unknown> = {
  'room:join': { sessionId: UNKNOWN },
  'room:leave': {},
  'session:end': {},
  'transport:create': { direction: 'recv' },
  'transport:connect': { transportId: UNKNOWN, dtlsParameters },
  'transport:restart-ice': { transportId: UNKNOWN },
  'media:produce': { transportId: UNKNOWN, kind: 'audio', source: 'mic', rtpParameters },
  'media:producer-close': { producerId: UNKNOWN },
  'media:consume': { transportId: UNKNOWN, producerId: UNKNOWN, rtpCapabilities },
  'media:consumer-resume': { consumerId: UNKNOWN },
  'media:report-viewport': { consumerId: UNKNOWN, width: 320, height: 180 },
  'media:report-network': { quality: 'poor' },
  'media:set-audio-only': { enabled: true },
  'chat:send': { text: 'hello' },
  'chat:delete': { messageId: UNKNOWN },
  'hand:raise': {},
  'hand:lower': {},
  'speak:invite': { peerId: UNKNOWN },
  'speak:revoke': { peerId: UNKNOWN },
  'moderation:mute': { peerId: UNKNOWN },
  'moderation:stop-camera': { peerId: UNKNOWN },
  'moderation:remove': { peerId: UNKNOWN },
  'recording:start': {},
  'recording:stop': {},
  'recording:query': { sessionId: UNKNOWN },
  'interaction:sync': {},
  'qna:ask': { text: 'Bagaimana cara daftar PIRT?' },
  'qna:upvote': { questionId: UNKNOWN, up: true },
  'qna:answer': { questionId: UNKNOWN },
  'qna:dismiss': { questionId: UNKNOWN },
  'qna:pin': { questionId: UNKNOWN },
  'poll:create': { question: 'Paham?', options: ['Ya', 'Belum'] },
  'poll:launch': { pollId: UNKNOWN },
  'poll:vote': { pollId: UNKNOWN, choices: [0] },
  'poll:reveal': { pollId: UNKNOWN, revealed: true },
  'poll:close': { pollId: UNKNOWN },
};

/** Payloads with a wrong type, and with a required field missing (or an extra one). */
const WRONG_TYPE: Record<ClientEventName, unknown> = {
  'room:join': { sessionId: 42 },
  'room:leave': 'now',
  'session:end': [1, 2],
  'transport:create': { direction: 'sideways' },
  'transport:connect': { transportId: UNKNOWN, dtlsParameters: 'x' },
  'transport:restart-ice': { transportId: { $gt: '' } },
  'media:produce': { transportId: UNKNOWN, kind: 'video', source: 'mic', rtpParameters },
  'media:producer-close': { producerId: null },
  'media:consume': { transportId: UNKNOWN, producerId: UNKNOWN, rtpCapabilities: [] },
  'media:consumer-resume': { consumerId: 7 },
  'media:report-viewport': { consumerId: UNKNOWN, width: -5, height: 'tall' },
  'media:report-network': { quality: 'excellent' },
  'media:set-audio-only': { enabled: 'yes' },
  'chat:send': { text: 'x'.repeat(1001) },
  'chat:delete': { messageId: 'not-an-id' },
  'hand:raise': { please: true },
  'hand:lower': { peerId: 3 },
  'speak:invite': { peerId: UNKNOWN, camera: 'yes' },
  'speak:revoke': { peerId: [] },
  'moderation:mute': { peerId: '' },
  'moderation:stop-camera': { peerId: false },
  'moderation:remove': { peerId: UNKNOWN, reason: 'r'.repeat(201) },
  'recording:start': { now: true },
  'recording:stop': [1],
  'recording:query': { sessionId: 'nope' },
  'interaction:sync': { all: true },
  'qna:ask': { text: 'x'.repeat(301) },
  'qna:upvote': { questionId: UNKNOWN, up: 'yes' },
  'qna:answer': { questionId: UNKNOWN, answer: 'a'.repeat(1001) },
  'qna:dismiss': { questionId: 12 },
  'qna:pin': { questionId: 'not-an-id' },
  'poll:create': { question: 'Paham?', options: ['Hanya satu'] },
  'poll:launch': { pollId: [] },
  'poll:vote': { pollId: UNKNOWN, choices: [0, 0] },
  'poll:reveal': { pollId: UNKNOWN, revealed: 1 },
  'poll:close': { pollId: { $ne: null } },
};

const MISSING: Partial<Record<ClientEventName, unknown>> = {
  'room:join': {},
  'transport:create': {},
  'transport:connect': { transportId: UNKNOWN },
  'transport:restart-ice': {},
  'media:produce': { transportId: UNKNOWN, kind: 'audio', source: 'mic' },
  'media:producer-close': {},
  'media:consume': { producerId: UNKNOWN, rtpCapabilities },
  'media:consumer-resume': {},
  'media:report-viewport': { consumerId: UNKNOWN, width: 320 },
  'media:report-network': {},
  'media:set-audio-only': {},
  'chat:send': {},
  'chat:delete': {},
  'speak:invite': {},
  'speak:revoke': {},
  'moderation:mute': {},
  'moderation:stop-camera': {},
  'moderation:remove': {},
  'recording:query': {},
  'qna:ask': {},
  'qna:upvote': { questionId: UNKNOWN },
  'qna:answer': {},
  'qna:dismiss': {},
  'qna:pin': {},
  'poll:create': { options: ['Ya', 'Belum'] },
  'poll:launch': {},
  'poll:vote': { pollId: UNKNOWN },
  'poll:reveal': { pollId: UNKNOWN },
  'poll:close': {},
};

/** Events a participant may not send, or not in this state, and the code they get. */
const PARTICIPANT_REFUSED: Partial<Record<ClientEventName, LiveErrorCode>> = {
  'session:end': LiveErrorCode.Forbidden,
  'transport:create': undefined,
  'chat:delete': LiveErrorCode.Forbidden,
  'speak:invite': LiveErrorCode.Forbidden,
  'speak:revoke': LiveErrorCode.Forbidden,
  'moderation:mute': LiveErrorCode.Forbidden,
  'moderation:stop-camera': LiveErrorCode.Forbidden,
  'moderation:remove': LiveErrorCode.Forbidden,
  'recording:start': LiveErrorCode.Forbidden,
  'recording:stop': LiveErrorCode.Forbidden,
  'qna:answer': LiveErrorCode.Forbidden,
  'qna:dismiss': LiveErrorCode.Forbidden,
  'qna:pin': LiveErrorCode.Forbidden,
  'poll:create': LiveErrorCode.Forbidden,
  'poll:launch': LiveErrorCode.Forbidden,
  'poll:reveal': LiveErrorCode.Forbidden,
  'poll:close': LiveErrorCode.Forbidden,
};

/** With ids unknown to the room, once joined. */
const UNKNOWN_ID_CODE: Partial<Record<ClientEventName, LiveErrorCode>> = {
  'transport:connect': LiveErrorCode.NotFound,
  'transport:restart-ice': LiveErrorCode.NotFound,
  'media:produce': LiveErrorCode.NotFound,
  'media:producer-close': LiveErrorCode.NotFound,
  'media:consume': LiveErrorCode.NotFound,
  'media:consumer-resume': LiveErrorCode.NotFound,
  'media:report-viewport': LiveErrorCode.NotFound,
  'chat:delete': LiveErrorCode.NotFound,
  'hand:lower': LiveErrorCode.NotFound,
  'speak:invite': LiveErrorCode.NotFound,
  'speak:revoke': LiveErrorCode.NotFound,
  'moderation:mute': LiveErrorCode.NotFound,
  'moderation:stop-camera': LiveErrorCode.NotFound,
  'moderation:remove': LiveErrorCode.NotFound,
  'qna:upvote': LiveErrorCode.NotFound,
  'qna:answer': LiveErrorCode.NotFound,
  'qna:dismiss': LiveErrorCode.NotFound,
  'qna:pin': LiveErrorCode.NotFound,
  'poll:launch': LiveErrorCode.NotFound,
  'poll:vote': LiveErrorCode.NotFound,
  'poll:reveal': LiveErrorCode.NotFound,
  'poll:close': LiveErrorCode.NotFound,
};

describe('live signalling: bad input for every event', () => {
  let live: RunningLive;
  let course: TestCourse;
  let host: LiveClient;
  let participant: LiveClient;
  let participantUser: TestUser;
  let stranger: LiveClient;

  beforeAll(async () => {
    live = await startLiveApp();
    course = await live.factory.course();
    host = await LiveClient.connect(live.url, course.trainer.token);
    await host.ok('room:join', { sessionId: course.sessionId });
    participantUser = await live.factory.participant(course);
    participant = await LiveClient.connect(live.url, participantUser.token);
    await participant.ok('room:join', { sessionId: course.sessionId });
    stranger = await LiveClient.connect(live.url, (await live.factory.participant(course)).token);
  });

  afterAll(async () => {
    for (const client of [host, participant, stranger]) client?.close();
    await live.close();
  });

  it('covers every event of the contract', () => {
    expect(Object.keys(VALID).sort()).toEqual([...CLIENT_EVENTS].sort());
    expect(Object.keys(WRONG_TYPE).sort()).toEqual([...CLIENT_EVENTS].sort());
  });

  describe.each(CLIENT_EVENTS.map((event) => [event]))('%s', (event) => {
    it('refuses a payload of the wrong type', async () => {
      expect(await host.request(event, WRONG_TYPE[event])).toMatchObject({
        ok: false,
        error: { code: LiveErrorCode.InvalidPayload },
      });
    });

    it('refuses a payload with a missing field (or an unexpected one)', async () => {
      const payload = MISSING[event] ?? { unexpected: 1 };
      expect(await host.request(event, payload)).toMatchObject({
        ok: false,
        error: { code: LiveErrorCode.InvalidPayload },
      });
    });

    it('refuses a non-object payload', async () => {
      expect(await host.request(event, 12345)).toMatchObject({
        ok: false,
        error: { code: LiveErrorCode.InvalidPayload },
      });
    });

    // recording:query is meant for before the join (a participant is told the session is recorded).
    if (event !== ClientEvent.RoomJoin && event !== ClientEvent.RecordingQuery) {
      it('refuses the event before room:join', async () => {
        expect(await stranger.request(event, VALID[event])).toMatchObject({
          ok: false,
          error: { code: LiveErrorCode.NotInRoom },
        });
      });
    }

    const unknownCode = UNKNOWN_ID_CODE[event];
    if (unknownCode) {
      it('refuses unknown ids', async () => {
        const client = event === 'hand:lower' ? participant : host;
        expect(await client.request(event, VALID[event])).toMatchObject({ ok: false, error: { code: unknownCode } });
      });
    }
  });

  it.each(Object.entries(PARTICIPANT_REFUSED).filter(([, code]) => code))(
    'refuses %s from a participant',
    async (event, code) => {
      const payload =
        (event as string).startsWith('speak') || (event as string).startsWith('moderation')
          ? { peerId: course.trainer.id }
          : VALID[event as ClientEventName];
      expect(await participant.request(event as ClientEventName, payload)).toMatchObject({
        ok: false,
        error: { code },
      });
    },
  );

  it('refuses a send transport to a participant who was not invited', async () => {
    expect(await participant.request('transport:create', { direction: 'send' })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.Forbidden },
    });
  });

  it('refuses a raised hand from the host and a second room:join from a member', async () => {
    expect(await host.request('hand:raise', {})).toMatchObject({ ok: false, error: { code: LiveErrorCode.Forbidden } });
    expect(await participant.request('room:join', { sessionId: course.sessionId })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.AlreadyInRoom },
    });
  });

  it('refuses a send on a recv transport and a second connect', async () => {
    const transport = await participant.ok('transport:create', { direction: 'recv' });
    const produce = await participant.request('media:produce', {
      transportId: transport.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters,
    });
    expect(produce).toMatchObject({ ok: false, error: { code: LiveErrorCode.Forbidden } });
    const consume = await participant.request('media:consume', {
      ...(VALID['media:consume'] as object),
      transportId: transport.id,
    });
    expect(consume).toMatchObject({ ok: false, error: { code: LiveErrorCode.NotFound } });
  });

  it('turns mediasoup rejections into MEDIA_ERROR', async () => {
    const transport = await host.ok('transport:create', { direction: 'send' });
    const ack = await host.request('media:produce', {
      transportId: transport.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters: { codecs: [{ mimeType: 'audio/nonsense', payloadType: 100, clockRate: 1 }] },
    });
    expect(ack).toMatchObject({ ok: false, error: { code: LiveErrorCode.MediaError } });
  });

  it('refuses U+0000 in stored text (chat, questions) with a validation ack, not a store failure', async () => {
    // The rate-limit test below counts host-free chat: this one speaks as the host.
    for (const [event, payload] of [
      ['chat:send', { text: 'halo\u0000' }],
      ['qna:ask', { text: 'apa\u0000?' }],
    ] as const) {
      const ack = await host.request(event, payload);
      expect(ack).toMatchObject({ ok: false, error: { code: LiveErrorCode.InvalidPayload } });
    }
  });

  it('rate-limits chat per user', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const ack = await participant.request('chat:send', { text: `m${i}` });
      codes.push(ack.ok ? 'ok' : ack.error.code);
    }
    expect(codes.slice(0, 5)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(codes.slice(5)).toEqual([LiveErrorCode.RateLimited, LiveErrorCode.RateLimited]);
  });

  it('keeps the room working after all of that', async () => {
    const message = await host.ok('chat:send', { text: 'still here' });
    expect(message.text).toBe('still here');
    await host.ok('chat:delete', { messageId: message.id });
    expect(await host.request('chat:delete', { messageId: message.id })).toMatchObject({
      ok: false,
      error: { code: LiveErrorCode.NotFound },
    });
    expect(host.socket.connected && participant.socket.connected).toBe(true);
  });
});
