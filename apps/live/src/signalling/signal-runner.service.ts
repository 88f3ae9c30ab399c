/**
 * Runs one client event: validates the payload with the contract's zod schema,
 * calls the handler, and turns every outcome into an ack. A bad payload, a
 * refusal (LiveException) or an unexpected error all become
 * `{ ok:false, error:{ code, message } }`; nothing thrown here reaches socket.io.
 * Internal error text (mediasoup's, the drivers') never reaches the client:
 * an unexpected error is INTERNAL, a lost Redis or database connection is
 * UNAVAILABLE (the action was not applied), each with an error id that is also
 * in the log line.
 */
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  Ack,
  CLIENT_PAYLOAD_SCHEMAS,
  ClientAckData,
  ClientEventName,
  LiveErrorCode,
  ParsedClientPayload,
} from '@balai/live-contract';
import { LiveException } from './live.exception';
import type { LiveSocket } from './socket-data';

/** Errors of a dependency that is unreachable right now (ioredis, the MongoDB driver). */
export function isUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (/^Mongo(ServerSelection|Network|NotConnected|Topology)|^MaxRetriesPerRequestError$/.test(error.name)) return true;
  return /enableOfflineQueue|Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|ETIMEDOUT/.test(
    error.message,
  );
}

/**
 * Decides whether an event is handled by another node (an edge's socket
 * whose room state lives on the session's owner): resolves to that node's
 * ack, or to null to handle it here. See cluster/edge-relay.service.ts.
 */
export type SignalForwarder = (
  socket: LiveSocket,
  event: ClientEventName,
  input: unknown,
) => Promise<Ack<unknown> | null> | null;

@Injectable()
export class SignalRunner {
  private readonly logger = new Logger('Signalling');
  private forwarder?: SignalForwarder;

  /** Installed once by the cluster module (a node with edge rooms). */
  setForwarder(forwarder: SignalForwarder): void {
    this.forwarder = forwarder;
  }

  async run<E extends ClientEventName>(
    socket: LiveSocket,
    event: E,
    payload: unknown,
    handler: (input: ParsedClientPayload<E>) => Promise<ClientAckData[E]> | ClientAckData[E],
  ): Promise<Ack<ClientAckData[E]>> {
    const parsed = CLIENT_PAYLOAD_SCHEMAS[event].safeParse(payload ?? {});
    if (!parsed.success) {
      const message = parsed.error.issues
        .map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`)
        .join('; ');
      return { ok: false, error: { code: LiveErrorCode.InvalidPayload, message } };
    }
    try {
      const forwarded = this.forwarder ? await this.forwarder(socket, event, parsed.data) : null;
      if (forwarded) return forwarded as Ack<ClientAckData[E]>;
      const data = await handler(parsed.data as ParsedClientPayload<E>);
      return { ok: true, data };
    } catch (error) {
      if (error instanceof LiveException) {
        return { ok: false, error: { code: error.code, message: error.message, details: error.details } };
      }
      const errorId = randomUUID();
      const context = { err: error, errorId, event, socketId: socket.id, userId: socket.data.user?.id };
      if (isUnavailableError(error)) {
        this.logger.warn(context, 'event failed: a dependency is unreachable');
        const message = 'the service is briefly unavailable; nothing was changed, please try again';
        return { ok: false, error: { code: LiveErrorCode.Unavailable, message, details: { errorId } } };
      }
      this.logger.error(context, 'event failed');
      return { ok: false, error: { code: LiveErrorCode.Internal, message: 'internal error', details: { errorId } } };
    }
  }
}
