import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AppException } from './app.exception';
import { STATUS_DEFAULTS } from './default-messages';
import { isDuplicateKeyError, isServiceUnavailableError } from './driver-errors';
import { ErrorResponse, LocalizedText, pickLang } from './error-response';

interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
  /** http-errors (body-parser, raw-body): true when the status and message are meant for the client. */
  expose?: boolean;
}

/** How long a client should wait before retrying a 503 (database or Redis unreachable, lock busy). */
export const RETRY_AFTER_SECONDS = 3;

function isHealthReport(exception: unknown): exception is HttpException {
  if (!(exception instanceof HttpException) || exception.getStatus() !== HttpStatus.SERVICE_UNAVAILABLE) return false;
  const body = exception.getResponse() as { status?: unknown; details?: unknown };
  return body?.status === 'error' && typeof body.details === 'object';
}

/**
 * Renders every error of an HTTP app as an `ErrorResponse`. Known client
 * mistakes that surface as library errors (malformed JSON, oversized bodies,
 * unsupported charsets, invalid ObjectIds, duplicate keys) become 4xx here so
 * they can never leak out as a 500, and an unreachable database is a 503 with
 * Retry-After. It must never put an exception's own text in the body: anything
 * unknown is `INTERNAL_ERROR` plus an `errorId` that is also in the log line.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    if (isHealthReport(exception)) {
      // A failing health check is a status report for monitors (terminus shape:
      // status, info, error, details), not an error for people.
      response.status(HttpStatus.SERVICE_UNAVAILABLE).json(exception.getResponse());
      return;
    }
    const lang = pickLang(request.headers['accept-language']);
    const body = this.toBody(exception, lang);
    if (body.statusCode >= 500) {
      body.errorId = randomUUID();
      const where = { errorId: body.errorId, method: request.method, url: request.originalUrl };
      if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) {
        // Expected while a dependency is down: one short line per request, not the driver's topology dump.
        const { name, message } = (exception ?? {}) as { name?: string; message?: string };
        this.logger.warn({ ...where, err: { name, message } }, 'service unavailable');
      } else {
        this.logger.error({ ...where, err: exception }, 'unhandled error');
      }
    }
    if (response.headersSent) return;
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE && !response.getHeader('Retry-After')) {
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    }
    // A CSV or file route may have set its own Content-Type/-Disposition before it failed: errors are JSON.
    response.removeHeader('Content-Disposition');
    response.status(body.statusCode).type('application/json').json(body);
  }

  private toBody(exception: unknown, lang: 'id' | 'en'): ErrorResponse {
    if (exception instanceof AppException) {
      return this.shape(exception.getStatus(), exception.code, exception.text, lang, exception.details);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const fallback = STATUS_DEFAULTS[status] ?? STATUS_DEFAULTS[status >= 500 ? 500 : 400]!;
      return this.shape(status, fallback.code, fallback.text, lang);
    }
    const parserError = exception as BodyParserError;
    if (parserError?.type === 'entity.too.large') {
      return this.shape(413, 'PAYLOAD_TOO_LARGE', STATUS_DEFAULTS[413]!.text, lang);
    }
    if (parserError?.type === 'entity.parse.failed') {
      return this.shape(400, 'MALFORMED_JSON', { id: 'Format JSON tidak valid.', en: 'Malformed JSON body.' }, lang);
    }
    const exposed = parserError?.expose === true ? (parserError.status ?? parserError.statusCode) : undefined;
    if (typeof exposed === 'number' && exposed >= 400 && exposed < 500) {
      // Other client errors of the body parser (unsupported charset or encoding, aborted request):
      // their status is meant for the client, their text is not ours to show.
      const known = STATUS_DEFAULTS[exposed] ?? STATUS_DEFAULTS[400]!;
      return this.shape(STATUS_DEFAULTS[exposed] ? exposed : 400, known.code, known.text, lang);
    }
    if (isDuplicateKeyError(exception)) {
      // A unique index caught what the service did not map itself: still the client's conflict.
      return this.shape(409, STATUS_DEFAULTS[409]!.code, STATUS_DEFAULTS[409]!.text, lang);
    }
    if (isServiceUnavailableError(exception)) {
      const d = STATUS_DEFAULTS[HttpStatus.SERVICE_UNAVAILABLE]!;
      return this.shape(503, d.code, d.text, lang);
    }
    const name = (exception as { name?: string })?.name;
    if (name === 'CastError' || name === 'BSONError') {
      return this.shape(400, 'INVALID_ID', { id: 'Format ID tidak valid.', en: 'Malformed id.' }, lang);
    }
    if (name === 'MulterError') {
      const code = (exception as { code?: string }).code;
      if (code === 'LIMIT_FILE_SIZE') {
        return this.shape(
          413,
          'FILE_TOO_LARGE',
          { id: 'Ukuran berkas melebihi batas.', en: 'The file is too large.' },
          lang,
        );
      }
      return this.shape(400, 'BAD_UPLOAD', { id: 'Unggahan berkas tidak valid.', en: 'Invalid file upload.' }, lang);
    }
    const internal = STATUS_DEFAULTS[HttpStatus.INTERNAL_SERVER_ERROR]!;
    return this.shape(500, internal.code, internal.text, lang);
  }

  private shape(
    statusCode: number,
    error: string,
    text: LocalizedText,
    lang: 'id' | 'en',
    details?: Record<string, string[]>,
  ): ErrorResponse {
    return details ? { statusCode, error, message: text[lang], details } : { statusCode, error, message: text[lang] };
  }
}
