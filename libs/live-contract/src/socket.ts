/**
 * socket.io's typed-event maps for both directions, built from the contract's
 * tables (ServerNotifications, the client payload schemas, ClientAckData). The
 * browser's socket is `Socket<ServerToClientEvents, ClientToServerEvents>`, so
 * renaming a field or an event here fails the type check of both ends.
 */
import type { Ack } from './errors';
import type { ClientEventName, ServerEventName } from './events';
import type { DtlsParameters, RtpCapabilities, RtpParameters } from './media-params';
import type { ClientAckData, ClientPayload, ServerNotifications } from './payloads';

/**
 * What a client sends with each event: the schema's input type, with the three
 * mediasoup objects (validated only in outline by zod) typed by their real shape.
 */
export type ClientRequest<E extends ClientEventName> = E extends 'transport:connect'
  ? Omit<ClientPayload<E>, 'dtlsParameters'> & { dtlsParameters: DtlsParameters }
  : E extends 'media:produce'
    ? Omit<ClientPayload<E>, 'rtpParameters'> & { rtpParameters: RtpParameters }
    : E extends 'media:consume'
      ? Omit<ClientPayload<E>, 'rtpCapabilities'> & { rtpCapabilities: RtpCapabilities }
      : ClientPayload<E>;

export type ServerToClientEvents = { [E in ServerEventName]: (payload: ServerNotifications[E]) => void };

export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: ClientRequest<E>, ack: (response: Ack<ClientAckData[E]>) => void) => void;
};

/** A server notification as one value (what the client's reducer takes). */
export type ServerNotification = {
  [E in ServerEventName]: { event: E; payload: ServerNotifications[E] };
}[ServerEventName];

// Compile-time checks that the tables cover exactly the event names.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type ServerNotificationsCoverEvents = Assert<Same<keyof ServerNotifications, ServerEventName>>;
export type ClientAcksCoverEvents = Assert<Same<keyof ClientAckData, ClientEventName>>;
