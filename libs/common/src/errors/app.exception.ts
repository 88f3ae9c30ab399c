import { HttpException, HttpStatus } from '@nestjs/common';
import type { LocalizedText } from './error-response';

/**
 * A domain error with a stable code and a message in both languages.
 * Throw it from services; the exception filter renders it in the error shape.
 */
export class AppException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: string,
    readonly text: LocalizedText,
    readonly details?: Record<string, string[]>,
  ) {
    super({ code, text, details }, status);
  }
}
