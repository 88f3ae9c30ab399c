import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AppException } from './app.exception';
import { STATUS_DEFAULTS } from './default-messages';
import { ErrorResponse, LocalizedText, pickLang } from './error-response';

interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
}

function isHealthReport(exception: unknown): exception is HttpException {
  if (!(exception instanceof HttpException) || exception.getStatus() !== HttpStatus.SERVICE_UNAVAILABLE) return false;
  const body = exception.getResponse() as { status?: unknown; details?: unknown };
  return body?.status === 'error' && typeof body.details === 'object';
}

/**
 * Renders every error of an HTTP app as an `ErrorResponse`. Known client
 * mistakes that surface as library errors (malformed JSON, oversized bodies,
 * invalid ObjectIds) become 4xx here so they can never leak out as a 500.
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
      this.logger.error(
        { errorId: body.errorId, err: exception, method: request.method, url: request.originalUrl },
        'unhandled error',
      );
    }
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
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
    const name = (exception as { name?: string })?.name;
    if (name === 'CastError' || name === 'BSONError') {
      return this.shape(400, 'INVALID_ID', { id: 'Format ID tidak valid.', en: 'Malformed id.' }, lang);
    }
    if (name === 'MulterError') {
      const code = (exception as { code?: string }).code;
      if (code === 'LIMIT_FILE_SIZE') {
        return this.shape(413, 'FILE_TOO_LARGE', { id: 'Ukuran berkas melebihi batas.', en: 'The file is too large.' }, lang);
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
