/**
 * The live socket opened on "Kelas saya" (#10 weak link): the room adopts it
 * instead of paying three handshake round trips after the click; one nobody
 * adopts is closed.
 */
class FakeSocket {
  connected = false;
  active = true;
  auth: unknown;
  readonly handlers = new Map<string, Array<(...a: unknown[]) => void>>();
  constructor(
    readonly url: string,
    readonly options: Record<string, unknown>,
  ) {
    this.auth = options.auth;
  }
  on(event: string, fn: (...a: unknown[]) => void): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  emitLocal(event: string, ...args: unknown[]): void {
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  }
  disconnect(): void {
    this.connected = false;
    this.active = false;
  }
  off(): void {}
  get io() {
    return { off: () => undefined };
  }
}

const created: FakeSocket[] = [];
jest.mock('socket.io-client', () => ({
  io: (url: string, options: Record<string, unknown>) => {
    const s = new FakeSocket(url, options);
    created.push(s);
    return s;
  },
}));

import { Signalling } from './signalling';
import { dropWarmSocket, takeWarmSocket, WARM_FOR_MS, warmLiveSocket } from './warm-connection';

const target = { url: 'https://live.example', path: '/socket.io', getToken: async () => 'token-a' };
const handlers = () => ({
  connected: jest.fn(),
  disconnected: jest.fn(),
  connectError: jest.fn(),
  notification: jest.fn(),
});

afterEach(() => {
  dropWarmSocket();
  created.length = 0;
  jest.useRealTimers();
});

describe('warm live socket', () => {
  it('opens one socket per endpoint and hands it over once', () => {
    warmLiveSocket(target);
    warmLiveSocket(target); // a second "Masuk kelas" button on the page
    expect(created).toHaveLength(1);
    expect(takeWarmSocket('https://live.example', '/socket.io')).toBe(created[0]);
    expect(takeWarmSocket('https://live.example', '/socket.io')).toBeNull();
    expect(created[0]!.active).toBe(true);
  });

  it('is closed when the room asks for another endpoint, or when nobody adopted it in time', () => {
    jest.useFakeTimers();
    warmLiveSocket(target);
    expect(takeWarmSocket('https://other.example')).toBeNull();
    expect(created[0]!.active).toBe(false);

    warmLiveSocket(target);
    jest.advanceTimersByTime(WARM_FOR_MS + 1);
    expect(created[1]!.active).toBe(false);
    expect(takeWarmSocket('https://live.example', '/socket.io')).toBeNull();
  });

  it('the room adopts a connected warm socket: joins at once with it, asks its own token on a reconnect', async () => {
    warmLiveSocket(target);
    created[0]!.connected = true;
    const on = handlers();
    const signalling = new Signalling(
      { url: 'https://live.example', path: '/socket.io', getToken: async () => 'token-b' },
      on,
    );
    signalling.open();
    expect(created).toHaveLength(1);
    await Promise.resolve();
    expect(on.connected).toHaveBeenCalledTimes(1);
    const token = await new Promise((resolve) => (created[0]!.auth as (cb: (d: unknown) => void) => void)(resolve));
    expect(token).toEqual({ token: 'token-b' });
    // A later reconnect reaches the room's handler too.
    created[0]!.emitLocal('connect');
    expect(on.connected).toHaveBeenCalledTimes(2);
    signalling.close();
  });

  it('a warm socket still connecting is adopted and reports its connect when it comes; none warm: a new socket', () => {
    warmLiveSocket(target);
    const on = handlers();
    const signalling = new Signalling({ ...target }, on);
    signalling.open();
    expect(on.connected).not.toHaveBeenCalled();
    created[0]!.connected = true;
    created[0]!.emitLocal('connect');
    expect(on.connected).toHaveBeenCalledTimes(1);
    signalling.close();

    new Signalling({ ...target }, handlers()).open();
    expect(created).toHaveLength(2);
  });
});
