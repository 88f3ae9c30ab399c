import { LiveErrorCode } from '@balai/live-contract';

/** A refusal the client is told about (as `{ ok:false, error }`); never a crash. */
export class LiveException extends Error {
  constructor(
    readonly code: LiveErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'LiveException';
  }
}

export const forbidden = (message: string) => new LiveException(LiveErrorCode.Forbidden, message);
export const notFound = (message: string) => new LiveException(LiveErrorCode.NotFound, message);
export const badState = (message: string) => new LiveException(LiveErrorCode.BadState, message);
