import { createHmac } from 'node:crypto';
import type { IceServer } from '@balai/live-contract';
import type { LiveClient, RunningLive } from '../../support/live-app';

/**
 * The live service hands out TURN credentials in coturn's shared-secret REST
 * scheme on join and with every transport (so an ICE restart or a rebuilt room
 * gets a fresh one), and refuses to start with half a TURN configuration.
 */
const SECRET = 'integration-turn-secret-0123456789';
const URLS = [
  'turn:turn.test:3478?transport=udp',
  'turn:turn.test:3478?transport=tcp',
  'turns:turn.test:5349?transport=tcp',
];
const TTL = 300;

function turnEntry(servers: IceServer[]): IceServer {
  const entry = servers.find((s) => !!s.username);
  if (!entry) throw new Error(`no TURN credential in ${JSON.stringify(servers)}`);
  return entry;
}

/** What coturn computes for `use-auth-secret`, written out independently of the service's code. */
function expectValidFor(entry: IceServer, userId: string, notBefore: number): void {
  expect(entry.urls).toEqual(URLS);
  const [expiry, user] = entry.username!.split(':');
  expect(user).toBe(userId);
  expect(Number(expiry)).toBeGreaterThanOrEqual(notBefore + TTL);
  expect(Number(expiry)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + TTL);
  expect(entry.credential).toBe(createHmac('sha1', SECRET).update(entry.username!).digest('base64'));
}

describe('TURN credentials from the live service', () => {
  let live: RunningLive;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    process.env.TURN_SECRET = SECRET;
    process.env.TURN_URLS = URLS.join(',');
    process.env.TURN_CREDENTIAL_TTL_SECONDS = String(TTL);
    process.env.ICE_SERVERS_JSON = '[{"urls":"stun:stun.test:3478"}]';
    const { startLiveApp } = await import('../../support/live-app');
    live = await startLiveApp();
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await live?.close();
  });

  it('gives each user a short-lived credential of their own with the join and with every transport', async () => {
    const { LiveClient } = await import('../../support/live-app');
    const course = await live.factory.course();
    const alice = await live.factory.participant(course);
    const before = Math.floor(Date.now() / 1000);
    const client = await LiveClient.connect(live.url, alice.token);
    clients.push(client);

    const joined = await client.ok('room:join', { sessionId: course.sessionId });
    expect(joined.iceServers[0]).toEqual({ urls: 'stun:stun.test:3478' });
    expectValidFor(turnEntry(joined.iceServers), alice.id, before);

    const recv = await client.ok('transport:create', { direction: 'recv' });
    expectValidFor(turnEntry(recv.iceServers), alice.id, before);

    const trainer = await LiveClient.connect(live.url, course.trainer.token);
    clients.push(trainer);
    const trainerJoin = await trainer.ok('room:join', { sessionId: course.sessionId });
    const trainerTurn = turnEntry(trainerJoin.iceServers);
    expectValidFor(trainerTurn, course.trainer.id, before);
    expect(trainerTurn.credential).not.toBe(turnEntry(joined.iceServers).credential);
  });
});

describe('TURN configuration at start-up', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it.each([
    [{ TURN_URLS: URLS[0] }, /TURN_SECRET: required when TURN_URLS is set/],
    [
      { TURN_SECRET: SECRET, TURN_URLS: 'stun:turn.test:3478' },
      /TURN_URLS: expected comma-separated turn: or turns: URIs/,
    ],
  ])('refuses to start with %j, naming the variable', async (env, message) => {
    Object.assign(process.env, { TURN_SECRET: '', TURN_URLS: '' }, env);
    await jest.isolateModulesAsync(async () => {
      const boot = async () => {
        const { Test } = await import('@nestjs/testing');
        const { LiveModule } = await import('../../../apps/live/src/live.module');
        const moduleRef = await Test.createTestingModule({ imports: [LiveModule] }).compile();
        await moduleRef.close();
      };
      await expect(boot()).rejects.toThrow(message);
    });
  });
});
