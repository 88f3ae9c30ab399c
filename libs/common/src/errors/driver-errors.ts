/**
 * Recognises the errors of the MongoDB driver (and Redis client) that mean something
 * other than "a bug": a duplicate key, or the database being unreachable. Matched by
 * name and code, not by class, so this lib needs no driver import and errors wrapped
 * by mongoose (or in `cause`) are seen too.
 */

interface DriverError {
  name?: unknown;
  code?: unknown;
  codeName?: unknown;
  message?: unknown;
  cause?: unknown;
  writeErrors?: unknown;
}

function* chain(error: unknown): Generator<DriverError> {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    yield current as DriverError;
    current = (current as DriverError).cause;
  }
}

/**
 * A unique-index violation. MongoDB reports 11000 (11001 on old servers); FerretDB 1.x
 * reports an insert as 11000 but a `findAndModify`/update as code 1 with SQLite's
 * "UNIQUE constraint failed". Both are the same client-visible fact: a 409.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  for (const e of chain(error)) {
    if (e.code === 11000 || e.code === 11001 || e.codeName === 'DuplicateKey') return true;
    if (e.code === 1 && typeof e.message === 'string' && /UNIQUE constraint failed|duplicate key/i.test(e.message))
      return true;
    if (Array.isArray(e.writeErrors) && e.writeErrors.some((w) => isDuplicateKeyError(w))) return true;
  }
  return false;
}

const UNAVAILABLE_NAMES = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoPoolClosedError',
  'MongoWaitQueueTimeoutError',
  // ioredis, when Redis is down longer than its retry budget.
  'MaxRetriesPerRequestError',
]);

/** Server codes that mean "this node is going away or stepping down", never bad input. */
const UNAVAILABLE_CODES = new Set([91, 189, 10107, 11600, 11602, 13435, 13436]);

/** The database (or Redis) cannot be reached right now: a 503 with Retry-After, not a 500. */
export function isServiceUnavailableError(error: unknown): boolean {
  for (const e of chain(error)) {
    if (typeof e.name === 'string' && UNAVAILABLE_NAMES.has(e.name)) return true;
    if (
      typeof e.code === 'number' &&
      UNAVAILABLE_CODES.has(e.code) &&
      typeof e.name === 'string' &&
      e.name.startsWith('Mongo')
    )
      return true;
    // mongoose while buffering commands for a connection that is not open.
    if (
      e.name === 'MongooseError' &&
      typeof e.message === 'string' &&
      /buffering timed out|before initial connection/i.test(e.message)
    )
      return true;
  }
  return false;
}
