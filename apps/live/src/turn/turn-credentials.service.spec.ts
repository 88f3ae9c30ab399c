import { ConfigService } from '@nestjs/config';
import { parseEnv } from '@balai/config';
import { z } from 'zod';
import { TurnClock, TurnCredentialsService } from './turn-credentials.service';
import { turnRestCredential } from './turn-credentials';
import { checkTurnEnv, turnEnvShape } from './turn.config';

const SECRET = 'balai-turn-test-secret-0123';
const USER = '64b000000000000000000001';
const schema = z.object({ ...turnEnvShape }).superRefine(checkTurnEnv);

class FixedClock extends TurnClock {
  constructor(private readonly at: number) {
    super();
  }
  override now(): number {
    return this.at;
  }
}

function service(env: Record<string, string>, nowMs: number, staticServers: unknown[] = []): TurnCredentialsService {
  const parsed = parseEnv(schema, env);
  const values: Record<string, unknown> = { ...parsed, ICE_SERVERS_JSON: staticServers };
  const config = { get: (key: string) => values[key] } as unknown as ConfigService;
  return new TurnCredentialsService(config as never, new FixedClock(nowMs));
}

describe('TURN REST credentials (coturn use-auth-secret)', () => {
  it('signs "expiry:userId" with HMAC-SHA1 of the shared secret, base64 (value checked with openssl dgst -sha1 -hmac)', () => {
    const sut = turnRestCredential(SECRET, USER, 3600, 1_700_000_000_000);
    expect(sut).toEqual({
      username: `1700003600:${USER}`,
      credential: 'xv0qPwlz9zqFOpRJiZwZ3/F4ZHA=',
      expiresAt: 1_700_003_600,
    });
  });

  it('refuses a user id with a colon (coturn splits the username at it)', () => {
    expect(() => turnRestCredential(SECRET, 'a:b', 60, 0)).toThrow(/must not contain/);
  });

  it('adds the TURN URIs with a credential that expires TTL seconds from now to the static ICE servers', () => {
    const now = Date.UTC(2026, 11, 1, 9, 0, 0);
    const sut = service(
      {
        TURN_SECRET: SECRET,
        TURN_URLS: 'turn:t.example:3478?transport=udp, turns:t.example:5349?transport=tcp',
        TURN_CREDENTIAL_TTL_SECONDS: '600',
      },
      now,
      [{ urls: 'stun:stun.example:3478' }],
    );
    const servers = sut.iceServersFor(USER);
    expect(servers).toHaveLength(2);
    expect(servers[0]).toEqual({ urls: 'stun:stun.example:3478' });
    expect(servers[1].urls).toEqual(['turn:t.example:3478?transport=udp', 'turns:t.example:5349?transport=tcp']);
    expect(servers[1].username).toBe(`${now / 1000 + 600}:${USER}`);
    expect(servers[1].credential).toBe(turnRestCredential(SECRET, USER, 600, now).credential);
  });

  it('issues nothing extra when TURN is not configured', () => {
    const sut = service({}, 0, [{ urls: 'stun:stun.example:3478' }]);
    expect(sut.enabled).toBe(false);
    expect(sut.iceServersFor(USER)).toEqual([{ urls: 'stun:stun.example:3478' }]);
  });
});

describe('TURN environment', () => {
  it('defaults to a one-hour credential lifetime and no TURN', () => {
    expect(parseEnv(schema, {})).toEqual({ TURN_URLS: [], TURN_CREDENTIAL_TTL_SECONDS: 3600 });
  });

  it('takes empty variables (a copied .env) as unset', () => {
    expect(parseEnv(schema, { TURN_SECRET: '', TURN_URLS: '' })).toEqual({
      TURN_URLS: [],
      TURN_CREDENTIAL_TTL_SECONDS: 3600,
    });
  });

  it.each([
    [{ TURN_URLS: 'turn:t.example:3478' }, /TURN_SECRET: required when TURN_URLS is set/],
    [{ TURN_SECRET: SECRET }, /TURN_URLS: required when TURN_SECRET is set/],
    [{ TURN_SECRET: 'short', TURN_URLS: 'turn:t.example:3478' }, /TURN_SECRET: expected at least 16 characters/],
    [
      { TURN_SECRET: SECRET, TURN_URLS: 'http://t.example:3478' },
      /TURN_URLS: expected comma-separated turn: or turns: URIs/,
    ],
    [{ TURN_SECRET: SECRET, TURN_URLS: 'turns:t.example:5349?transport=udp' }, /TURN_URLS/],
    [{ TURN_CREDENTIAL_TTL_SECONDS: '30' }, /TURN_CREDENTIAL_TTL_SECONDS/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => parseEnv(schema, env)).toThrow(message);
  });
});
