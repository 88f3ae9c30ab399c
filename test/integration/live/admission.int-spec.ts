import { JwtService } from '@nestjs/jwt';
import { LiveErrorCode } from '@balai/live-contract';
import { LiveClient, RunningLive, startLiveApp } from '../../support/live-app';

describe('live admission (socket.io handshake and room:join)', () => {
  let live: RunningLive;
  const clients: LiveClient[] = [];
  const connect = async (token: string) => {
    const client = await LiveClient.connect(live.url, token);
    clients.push(client);
    return client;
  };
  const connectError = (token?: string) =>
    new Promise<{ message: string; data?: { code: string } }>((resolve) => {
      const client = new LiveClient(live.url, token);
      clients.push(client);
      client.socket.once('connect_error', (error) =>
        resolve(error as unknown as { message: string; data?: { code: string } }),
      );
      client.socket.once('connect', () => resolve({ message: 'connected' }));
    });

  beforeAll(async () => {
    live = await startLiveApp();
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(async () => {
    await live.close();
  });

  it('refuses a socket without a token', async () => {
    const error = await connectError();
    expect(error.data?.code).toBe(LiveErrorCode.Unauthenticated);
  });

  it('refuses a token signed with another secret', async () => {
    const forged = new JwtService({ secret: 'another-secret-of-enough-length' }).sign({
      sub: '0'.repeat(24),
      role: 'admin',
      name: 'x',
      typ: 'access',
    });
    expect((await connectError(forged)).data?.code).toBe(LiveErrorCode.Unauthenticated);
  });

  it('refuses a refresh token', async () => {
    const user = await live.factory.user('participant');
    const refresh = live.factory.token(user, { typ: 'refresh' });
    expect((await connectError(refresh)).data?.code).toBe(LiveErrorCode.Unauthenticated);
  });

  it('refuses an expired token', async () => {
    const user = await live.factory.user('participant');
    const expired = live.factory.token(user, { expiresIn: -10 });
    expect((await connectError(expired)).data?.code).toBe(LiveErrorCode.Unauthenticated);
  });

  it('admits the course trainer as host with the router capabilities', async () => {
    const course = await live.factory.course();
    const host = await connect(course.trainer.token);
    const joined = await host.ok('room:join', { sessionId: course.sessionId });
    expect(joined.self.role).toBe('host');
    expect(joined.self.canSpeak).toBe(true);
    expect(joined.routerRtpCapabilities).toHaveProperty('codecs');
  });

  it('admits an admin as moderator and an enrolled user as a participant who may not speak', async () => {
    const course = await live.factory.course();
    const admin = await connect((await live.factory.user('admin')).token);
    const participant = await connect((await live.factory.participant(course)).token);
    expect((await admin.ok('room:join', { sessionId: course.sessionId })).self.role).toBe('moderator');
    const joined = await participant.ok('room:join', { sessionId: course.sessionId });
    expect(joined.self).toMatchObject({ role: 'participant', canSpeak: false, canCamera: false });
    expect(joined.peers.map((p) => p.role)).toContain('moderator');
  });

  it('refuses a participant outside the course', async () => {
    const course = await live.factory.course();
    const outsider = await connect((await live.factory.user('participant')).token);
    const ack = await outsider.request('room:join', { sessionId: course.sessionId });
    expect(ack).toMatchObject({ ok: false, error: { code: LiveErrorCode.NotAllowed } });
  });

  it('refuses a waitlisted participant', async () => {
    const course = await live.factory.course();
    const waitlisted = await connect((await live.factory.participant(course, 'waitlisted')).token);
    const ack = await waitlisted.request('room:join', { sessionId: course.sessionId });
    expect(ack).toMatchObject({ ok: false, error: { code: LiveErrorCode.NotAllowed } });
  });

  it('refuses a trainer of another course', async () => {
    const course = await live.factory.course();
    const other = await live.factory.course();
    const client = await connect(other.trainer.token);
    const ack = await client.request('room:join', { sessionId: course.sessionId });
    expect(ack).toMatchObject({ ok: false, error: { code: LiveErrorCode.NotAllowed } });
  });

  it('refuses an unknown session', async () => {
    const client = await connect((await live.factory.user('admin')).token);
    const ack = await client.request('room:join', { sessionId: 'a'.repeat(24) });
    expect(ack).toMatchObject({ ok: false, error: { code: LiveErrorCode.SessionNotFound } });
  });

  it('refuses entry before the early-entry window', async () => {
    const now = Date.now();
    const course = await live.factory.course({
      startsAt: new Date(now + 3 * 3600_000),
      endsAt: new Date(now + 4 * 3600_000),
    });
    const participant = await connect((await live.factory.participant(course)).token);
    const ack = await participant.request('room:join', { sessionId: course.sessionId });
    expect(ack).toMatchObject({ ok: false, error: { code: LiveErrorCode.TooEarly } });
  });

  it('admits within the early-entry window', async () => {
    const now = Date.now();
    const course = await live.factory.course({
      startsAt: new Date(now + 10 * 60_000),
      endsAt: new Date(now + 70 * 60_000),
    });
    const participant = await connect((await live.factory.participant(course)).token);
    expect((await participant.request('room:join', { sessionId: course.sessionId })).ok).toBe(true);
  });

  it('refuses entry after end plus grace', async () => {
    const now = Date.now();
    const course = await live.factory.course({
      startsAt: new Date(now - 4 * 3600_000),
      endsAt: new Date(now - 3 * 3600_000),
    });
    const participant = await connect((await live.factory.participant(course)).token);
    const ack = await participant.request('room:join', { sessionId: course.sessionId });
    expect(ack).toMatchObject({ ok: false, error: { code: LiveErrorCode.SessionOver } });
  });

  it('refuses a cancelled session', async () => {
    const course = await live.factory.course({ status: 'cancelled' });
    const host = await connect(course.trainer.token);
    const ack = await host.request('room:join', { sessionId: course.sessionId });
    expect(ack).toMatchObject({ ok: false, error: { code: LiveErrorCode.SessionOver } });
  });

  it('refuses a second join on the same connection', async () => {
    const course = await live.factory.course();
    const host = await connect(course.trainer.token);
    await host.ok('room:join', { sessionId: course.sessionId });
    const ack = await host.request('room:join', { sessionId: course.sessionId });
    expect(ack).toMatchObject({ ok: false, error: { code: LiveErrorCode.AlreadyInRoom } });
  });

  it('tells the others when a peer joins', async () => {
    const course = await live.factory.course();
    const host = await connect(course.trainer.token);
    await host.ok('room:join', { sessionId: course.sessionId });
    const user = await live.factory.participant(course);
    const participant = await connect(user.token);
    await participant.ok('room:join', { sessionId: course.sessionId });
    expect(await host.next('peer:joined')).toMatchObject({ peerId: user.id, role: 'participant' });
  });
});
