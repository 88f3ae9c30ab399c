/**
 * A live socket opened while the participant is still on "Kelas saya" with a
 * session open to join (#10 weak link): on a 150-300 ms mobile link the
 * WebSocket's TCP and HTTP upgrade handshakes and socket.io's authenticated
 * connect are three round trips (and a lost SYN costs a whole second), all
 * before room:join can even be sent. The room's Signalling adopts this socket
 * when it is for the same endpoint; one nobody adopts is closed after
 * WARM_FOR_MS. Being connected is not being in the room: nothing is recorded
 * (attendance, presence) until room:join.
 * Loaded as part of the room's chunk (socket.io-client), never by the main bundle.
 */
import { io } from 'socket.io-client';
import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import { preloadNativeCapabilities } from './native-capabilities';
import type { LiveSocket } from './signalling';

/** How long a socket nobody adopted stays open. */
export const WARM_FOR_MS = 3 * 60_000;

export interface SocketTarget {
  url: string;
  path?: string;
  getToken: () => Promise<string | null>;
}

/** socket.io options of every live socket (shared with signalling.ts). */
export function liveSocketOptions(target: SocketTarget): Partial<ManagerOptions & SocketOptions> {
  // Short, bounded backoff: a restarted live node is back within seconds and the
  // participant should be too (#10); socket.io adds +-30% jitter so clients spread out.
  return {
    path: target.path ?? '/socket.io',
    transports: ['websocket', 'polling'],
    reconnection: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 2500,
    randomizationFactor: 0.3,
    auth: (cb) => {
      void target.getToken().then(
        (token) => cb({ token }),
        () => cb({}),
      );
    },
  };
}

const keyOf = (url: string, path?: string) => `${url}|${path ?? '/socket.io'}`;

let warm: { key: string; socket: LiveSocket; timer: ReturnType<typeof setTimeout> } | null = null;

/** Opens (or keeps) the warm socket for this endpoint. */
export function warmLiveSocket(target: SocketTarget, create: typeof io = io): void {
  const key = keyOf(target.url, target.path);
  if (warm && warm.key === key && warm.socket.active) {
    clearTimeout(warm.timer);
    warm.timer = setTimeout(dropWarmSocket, WARM_FOR_MS);
    return;
  }
  dropWarmSocket();
  const socket: LiveSocket = create(target.url, liveSocketOptions(target));
  // The Device's native capabilities too, while the handshakes run (room-independent).
  preloadNativeCapabilities();
  warm = { key, socket, timer: setTimeout(dropWarmSocket, WARM_FOR_MS) };
}

/** The warm socket for this endpoint, handed over once (connected or still connecting), else null. */
export function takeWarmSocket(url: string, path?: string): LiveSocket | null {
  if (!warm || warm.key !== keyOf(url, path) || !warm.socket.active) {
    dropWarmSocket();
    return null;
  }
  const { socket, timer } = warm;
  clearTimeout(timer);
  warm = null;
  return socket;
}

export function dropWarmSocket(): void {
  if (!warm) return;
  clearTimeout(warm.timer);
  warm.socket.disconnect();
  warm = null;
}
