import { ArgumentsHost, HttpStatus, InternalServerErrorException, Logger } from '@nestjs/common';
import { AllExceptionsFilter, RETRY_AFTER_SECONDS } from './all-exceptions.filter';
import { isDuplicateKeyError, isServiceUnavailableError } from './driver-errors';

interface Sent {
  status?: number;
  body?: Record<string, unknown>;
  headers: Record<string, string>;
}

function hostFor(sent: Sent, headers: Record<string, string> = {}): ArgumentsHost {
  const response = {
    headersSent: false,
    status(code: number) {
      sent.status = code;
      return response;
    },
    type(value: string) {
      sent.headers['content-type'] = value;
      return response;
    },
    json(body: Record<string, unknown>) {
      sent.body = body;
      return response;
    },
    setHeader(name: string, value: string) {
      sent.headers[name.toLowerCase()] = value;
    },
    getHeader(name: string) {
      return sent.headers[name.toLowerCase()];
    },
    removeHeader(name: string) {
      delete sent.headers[name.toLowerCase()];
    },
  };
  const request = { headers, method: 'GET', originalUrl: '/api/x' };
  return {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ArgumentsHost;
}

describe('AllExceptionsFilter', () => {
  const sut = new AllExceptionsFilter();
  let errorLog: jest.SpyInstance;
  let warnLog: jest.SpyInstance;
  beforeEach(() => {
    errorLog = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    warnLog = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  const render = (exception: unknown, headers?: Record<string, string>): Sent => {
    const sent: Sent = { headers: { 'content-type': 'text/csv', 'content-disposition': 'attachment' } };
    sut.catch(exception, hostFor(sent, headers));
    return sent;
  };

  it.each([
    new TypeError("Cannot read properties of null (reading 'producer')"),
    new RangeError('Maximum call stack size exceeded'),
    new InternalServerErrorException('connection string mongodb://secret@db'),
  ])('renders %p as INTERNAL_ERROR with an error id that is also in the log line, never its own text', (exception) => {
    const sent = render(exception);
    expect(sent.status).toBe(500);
    expect(sent.body).toEqual({
      statusCode: 500,
      error: 'INTERNAL_ERROR',
      message: expect.any(String),
      errorId: expect.any(String),
    });
    expect(JSON.stringify(sent.body)).not.toMatch(/Cannot read|call stack|mongodb|secret/);
    expect(errorLog).toHaveBeenCalledWith(
      expect.objectContaining({ errorId: sent.body!.errorId, err: exception }),
      'unhandled error',
    );
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers['content-disposition']).toBeUndefined();
  });

  it('answers in English when the client prefers it', () => {
    expect(render(new Error('x'), { 'accept-language': 'en-US,en;q=0.9' }).body!.message).toMatch(
      /Something went wrong/,
    );
  });

  it.each([
    {
      name: 'MongoServerError',
      code: 11000,
      message: 'E11000 duplicate key error collection: balai.courses index: code_1',
    },
    { name: 'MongoServerError', code: 1, message: 'UNIQUE constraint failed: courses.code' },
    { name: 'MongoBulkWriteError', code: 65, writeErrors: [{ code: 11000 }] },
  ])('a duplicate key the service did not map is a 409 CONFLICT (%p)', (exception) => {
    const sent = render(Object.assign(new Error(exception.message ?? 'bulk'), exception));
    expect(sent.status).toBe(409);
    expect(sent.body).toMatchObject({ statusCode: 409, error: 'CONFLICT' });
    expect(JSON.stringify(sent.body)).not.toMatch(/E11000|UNIQUE|courses/);
  });

  it('code 1 without a unique-constraint message is not a duplicate key', () => {
    expect(isDuplicateKeyError({ code: 1, message: 'no such table' })).toBe(false);
  });

  it.each(['MongoServerSelectionError', 'MongoNetworkError', 'MongoNotConnectedError', 'MongoPoolClearedError'])(
    '%s is a 503 with Retry-After and an error id, logged as a warning',
    (name) => {
      const sent = render(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27027'), { name }));
      expect(sent.status).toBe(HttpStatus.SERVICE_UNAVAILABLE);
      expect(sent.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
      expect(sent.body).toMatchObject({ statusCode: 503, error: 'SERVICE_UNAVAILABLE', errorId: expect.any(String) });
      expect(JSON.stringify(sent.body)).not.toMatch(/ECONNREFUSED|27027/);
      expect(warnLog).toHaveBeenCalledWith(
        expect.objectContaining({ errorId: sent.body!.errorId }),
        'service unavailable',
      );
      expect(errorLog).not.toHaveBeenCalled();
    },
  );

  it('sees an unreachable database through a wrapping error (cause)', () => {
    expect(
      isServiceUnavailableError(
        new Error('query failed', { cause: Object.assign(new Error('x'), { name: 'MongoNetworkTimeoutError' }) }),
      ),
    ).toBe(true);
    expect(isServiceUnavailableError(new Error('plain'))).toBe(false);
  });

  it('keeps the status of a client error from the body parser, not its text', () => {
    const charset = Object.assign(new Error('unsupported charset "KOI8-R"'), {
      status: 415,
      statusCode: 415,
      expose: true,
      type: 'charset.unsupported',
    });
    const sent = render(charset);
    expect(sent.status).toBe(415);
    expect(sent.body).toMatchObject({ statusCode: 415, error: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(JSON.stringify(sent.body)).not.toMatch(/KOI8/);
    const aborted = render(
      Object.assign(new Error('request aborted'), { status: 400, expose: true, type: 'request.aborted' }),
    );
    expect(aborted.status).toBe(400);
  });
});
