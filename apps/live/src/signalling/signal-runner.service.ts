/**
 * Runs one client event: validates the payload with the contract's zod schema,
 * calls the handler, and turns every outcome into an ack. A bad payload, a
 * refusal (LiveException) or an unexpected error all become
 * `{ ok:false, error:{ code, message } }`; nothing thrown here reaches socket.io.
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

@Injectable()
export class SignalRunner {
  private readonly logger = new Logger('Signalling');

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
      const data = await handler(parsed.data as ParsedClientPayload<E>);
      return { ok: true, data };
    } catch (error) {
      if (error instanceof LiveException) {
        return { ok: false, error: { code: error.code, message: error.message, details: error.details } };
      }
      const errorId = randomUUID();
      this.logger.error({ err: error, errorId, event, socketId: socket.id, userId: socket.data.user?.id }, 'event failed');
      return { ok: false, error: { code: LiveErrorCode.Internal, message: 'internal error', details: { errorId } } };
    }
  }
}
