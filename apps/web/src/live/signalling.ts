/**
 * The socket.io connection to the live service, typed both ways from
 * @balai/live-contract. It knows nothing about rooms or media: it connects
 * (socket.io reconnects by itself with backoff), sends requests and waits for
 * their acks, and hands notifications and connection events to its owner.
 */
import { io, Socket } from 'socket.io-client';
import { ServerEvent } from '@balai/live-contract/events';
import { LiveErrorCode } from '@balai/live-contract/errors';
import { liveSocketOptions, takeWarmSocket } from './warm-connection';
import type {
  Ack,
  ClientAckData,
  ClientEventName,
  ClientRequest,
  ClientToServerEvents,
  LiveError,
  ServerNotification,
  ServerToClientEvents,
} from '@balai/live-contract';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class LiveRequestError extends Error {
  constructor(readonly error: LiveError) {
    super(error.message);
  }
}

export interface SignallingHandlers {
  connected(): void;
  disconnected(reason: string): void;
  connectError(error: Error): void;
  notification(n: ServerNotification): void;
}

export interface SignallingOptions {
  url: string;
  path?: string;
  getToken: () => Promise<string | null>;
}

const SERVER_EVENTS = Object.values(ServerEvent);

export class Signalling {
  private socket: LiveSocket | null = null;

  constructor(
    private readonly opts: SignallingOptions,
    private readonly on: SignallingHandlers,
  ) {}

  get connected(): boolean {
    return !!this.socket?.connected;
  }

  /** The raw socket, for the development test hooks only. */
  get raw(): LiveSocket | null {
    return this.socket;
  }

  open(): void {
    // A socket opened on "Kelas saya" (warm-connection.ts) saves the handshakes; it now asks our getToken.
    const adopted = takeWarmSocket(this.opts.url, this.opts.path);
    const options = liveSocketOptions(this.opts);
    if (adopted) adopted.auth = options.auth!;
    const socket: LiveSocket = adopted ?? io(this.opts.url, options);
    this.socket = socket;
    socket.on('connect', () => this.on.connected());
    // Adopted already connected: its 'connect' has been and gone.
    if (adopted?.connected) queueMicrotask(() => this.socket === socket && socket.connected && this.on.connected());
    socket.on('disconnect', (reason) => this.on.disconnected(reason));
    socket.on('connect_error', (e) => this.on.connectError(e));
    for (const event of SERVER_EVENTS) {
      // One listener per contract event; the payload type follows the event name.
      socket.on(event, ((payload: ServerNotification['payload']) =>
        this.on.notification({ event, payload } as ServerNotification)) as ServerToClientEvents[typeof event]);
    }
  }

  /**
   * Point the next (re)connection attempts at another live node (placement.ts):
   * socket.io's own reconnection goes on with its backoff, now to `url`.
   */
  moveTo(url: string): void {
    this.opts.url = url;
    // The manager opens each attempt's engine from its uri (socket.io-client 4.x).
    if (this.socket) (this.socket.io as unknown as { uri: string }).uri = url;
  }

  /** Reconnect now (after the server closed the socket on purpose, e.g. a graceful shutdown). */
  reconnect(): void {
    if (this.socket && !this.socket.connected) this.socket.connect();
  }

  /** Emit a client event and wait for its ack (rejects with the server's LiveError). */
  request<E extends ClientEventName>(
    event: E,
    payload: ClientRequest<E>,
    timeoutMs = 10_000,
  ): Promise<ClientAckData[E]> {
    const socket = this.socket;
    return new Promise((resolve, reject) => {
      if (!socket || !socket.connected) {
        reject(
          new LiveRequestError({
            code: LiveErrorCode.Internal,
            message: 'not connected',
            details: { transport: 'offline' },
          }),
        );
        return;
      }
      // socket.io cannot relate a generic event name to its own argument list; the
      // public signature above is what keeps callers to the contract.
      const timed = socket.timeout(timeoutMs);
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call(timed) just below
      const emit = timed.emit as (
        e: E,
        p: ClientRequest<E>,
        ack: (err: Error | null, res: Ack<ClientAckData[E]>) => void,
      ) => void;
      emit.call(timed, event, payload, (err, ack) => {
        if (err)
          reject(
            new LiveRequestError({
              code: LiveErrorCode.Internal,
              message: 'timeout',
              details: { transport: 'timeout' },
            }),
          );
        else if (ack && ack.ok) resolve(ack.data);
        else reject(new LiveRequestError(ack?.error ?? { code: LiveErrorCode.Internal, message: 'no ack' }));
      });
    });
  }

  /** Send without waiting (used from `pagehide`, when nothing can be awaited). */
  fire<E extends ClientEventName>(event: E, payload: ClientRequest<E>): void {
    if (!this.socket?.connected) return;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call(this.socket) just below
    const emit = this.socket.emit as (e: E, p: ClientRequest<E>, ack: () => void) => void;
    emit.call(this.socket, event, payload, () => undefined);
  }

  close(): void {
    this.socket?.off();
    this.socket?.io.off();
    this.socket?.disconnect();
    this.socket = null;
  }
}
