/**
 * Token handling of the REST client against a scripted fetch: the access token
 * lives in memory, the refresh token in localStorage; a 401 triggers one
 * refresh shared by concurrent calls and a retry; a refused refresh signs out
 * locally; a network failure does not.
 */
type Client = typeof import('./client');

interface Call {
  method: string;
  path: string;
  auth?: string;
  body?: unknown;
}

/** A fake API: routes answer from a handler; every request is recorded. */
function fakeApi(handler: (call: Call) => { status: number; body?: unknown } | 'network') {
  const calls: Call[] = [];
  const fetch = jest.fn(
    async (url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => {
      const call: Call = {
        method: init.method ?? 'GET',
        path: url.replace(/^\/api/, ''),
        auth: init.headers?.Authorization,
        body: init.body ? JSON.parse(init.body) : undefined,
      };
      calls.push(call);
      const answer = handler(call);
      if (answer === 'network') throw new TypeError('Failed to fetch');
      const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
      return {
        ok: answer.status >= 200 && answer.status < 300,
        status: answer.status,
        statusText: String(answer.status),
        text: async () => text,
        json: async () => answer.body,
        headers: { get: () => null },
      };
    },
  );
  (globalThis as { fetch?: unknown }).fetch = fetch;
  return { calls, fetch };
}

const ME = {
  id: 'u1',
  email: 'a@b.id',
  name: 'Siti',
  role: 'participant',
  locale: 'id',
  active: true,
  createdAt: '2026-01-01T00:00:00Z',
};
const tokens = (n: number) => ({ accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresIn: 900 });
const unauthorized = { status: 401, body: { statusCode: 401, error: 'UNAUTHORIZED', message: 'no' } };

function load(): Client {
  let sut!: Client;
  jest.isolateModules(() => {
    sut = jest.requireActual<Client>('./client');
  });
  return sut;
}

describe('api client tokens', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    localStorage.clear();
  });
  afterEach(() => {
    jest.clearAllTimers();
    jest.useRealTimers();
  });

  it('keeps the access token in memory and the refresh token in localStorage after sign-in', async () => {
    fakeApi((c) => (c.path === '/auth/login' ? { status: 200, body: tokens(1) } : { status: 200, body: ME }));
    const sut = load();
    await sut.auth.login('a@b.id', 'Rahasia123');
    expect(sut.getAccessToken()).toBe('access-1');
    expect(localStorage.getItem('balai.refreshToken')).toBe('refresh-1');
    expect(sut.meStore.get()).toMatchObject({ id: 'u1' });
  });

  it('refreshes once on a 401, shared by concurrent calls, and retries each with the new token', async () => {
    const { calls } = fakeApi((c) => {
      if (c.path === '/auth/login') return { status: 200, body: tokens(0) };
      if (c.path === '/auth/refresh') return { status: 200, body: tokens(1) };
      if (c.path === '/me') return { status: 200, body: ME };
      return c.auth === 'Bearer access-1' ? { status: 200, body: { items: [], total: 0 } } : unauthorized;
    });
    const sut = load();
    await sut.auth.login('a@b.id', 'Rahasia123'); // access-0, which the API now refuses (expired)
    const results = await Promise.all([sut.api.myCertificates(), sut.api.myEnrollments(), sut.api.myTeaching()]);
    expect(results).toEqual([[], [], []]);
    const refreshes = calls.filter((c) => c.path === '/auth/refresh');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]!.body).toEqual({ refreshToken: 'refresh-0' });
    expect(calls.filter((c) => c.auth === 'Bearer access-0' && c.path !== '/me')).toHaveLength(3);
    expect(calls.filter((c) => c.auth === 'Bearer access-1')).toHaveLength(3);
    expect(localStorage.getItem('balai.refreshToken')).toBe('refresh-1');
  });

  it('signs out locally when the server refuses the refresh token', async () => {
    localStorage.setItem('balai.refreshToken', 'refresh-revoked');
    fakeApi(() => unauthorized);
    const sut = load();
    await expect(sut.api.myCertificates()).rejects.toMatchObject({ status: 401 });
    expect(localStorage.getItem('balai.refreshToken')).toBeNull();
    expect(sut.getAccessToken()).toBeNull();
    expect(sut.meStore.get()).toBeNull();
  });

  it('keeps the refresh token when the network fails, so the session survives a dead zone', async () => {
    localStorage.setItem('balai.refreshToken', 'refresh-0');
    fakeApi(() => 'network');
    const sut = load();
    expect(await sut.refreshTokens()).toBe(false);
    expect(localStorage.getItem('balai.refreshToken')).toBe('refresh-0');
    expect(sut.meStore.get()).toBeUndefined();
  });

  it('restores the session on boot from the stored refresh token', async () => {
    localStorage.setItem('balai.refreshToken', 'refresh-0');
    const { calls } = fakeApi((c) =>
      c.path === '/auth/refresh' ? { status: 200, body: tokens(1) } : { status: 200, body: ME },
    );
    const sut = load();
    await sut.restoreSession();
    expect(sut.meStore.get()).toMatchObject({ id: 'u1', role: 'participant' });
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /auth/refresh', 'GET /me']);
    expect(calls[1]!.auth).toBe('Bearer access-1');
  });

  it('refreshes by itself 30 s before the access token expires', async () => {
    localStorage.setItem('balai.refreshToken', 'refresh-0');
    let n = 0;
    const { calls } = fakeApi((c) =>
      c.path === '/auth/refresh' ? { status: 200, body: tokens(++n) } : { status: 200, body: ME },
    );
    const sut = load();
    await sut.restoreSession();
    expect(sut.getAccessToken()).toBe('access-1');
    await jest.advanceTimersByTimeAsync((900 - 31) * 1000);
    expect(calls.filter((c) => c.path === '/auth/refresh')).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(2000);
    expect(calls.filter((c) => c.path === '/auth/refresh')).toHaveLength(2);
    expect(sut.getAccessToken()).toBe('access-2');
    expect(localStorage.getItem('balai.refreshToken')).toBe('refresh-2');
  });

  it('signs in with the tokens of registration when the API returns them', async () => {
    const { calls } = fakeApi((c) =>
      c.path === '/auth/register' ? { status: 201, body: { ...tokens(1), user: ME } } : { status: 200, body: ME },
    );
    const sut = load();
    await sut.auth.register({
      email: 'a@b.id',
      password: 'Rahasia123',
      name: 'Siti',
      ikm: {
        ownerName: 'Siti',
        businessName: 'Kue Siti',
        nib: '1234567890123',
        sector: 'food_beverage',
        kecamatan: 'Setu',
        address: 'Jl. 1',
        whatsapp: '+6281234567890',
      },
    });
    expect(calls.map((c) => c.path)).toEqual(['/auth/register', '/me']);
    expect(sut.getAccessToken()).toBe('access-1');
  });
});
