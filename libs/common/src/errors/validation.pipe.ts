import { ArgumentMetadata, HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppException } from './app.exception';
import { VALIDATION_FAILED } from './default-messages';

function flatten(errors: ValidationError[], parent = '', into: Record<string, string[]> = {}) {
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) into[path] = Object.values(error.constraints);
    if (error.children?.length) flatten(error.children, path, into);
  }
  return into;
}

const NUL = '\u0000';
export const NUL_CHARACTER_MESSAGE = 'must not contain the NUL character (U+0000)';

/**
 * The path of the first string (or key) holding U+0000 in a request value, or
 * undefined. No database stores it alike: PostgreSQL (under FerretDB) refuses
 * it in text, MongoDB refuses it in keys; so it is refused at the door.
 */
export function findNulCharacter(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return undefined;
  const entries = Array.isArray(value) ? value.map((item, i) => [String(i), item] as const) : Object.entries(value);
  for (const [key, item] of entries) {
    const itemPath = path ? `${path}.${key}` : key;
    if (key.includes(NUL)) return itemPath;
    const found = findNulCharacter(item, itemPath);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The global validation pipe: unknown fields are rejected, payloads are
 * transformed to DTO classes, and failures become `VALIDATION_FAILED` with
 * one entry per field in `details`. A body, query or path value with U+0000
 * anywhere is refused the same way before any DTO rule runs.
 */
class BalaiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const path = findNulCharacter(value, metadata.data ?? '');
      if (path !== undefined) {
        throw new AppException(HttpStatus.BAD_REQUEST, VALIDATION_FAILED.code, VALIDATION_FAILED.text, {
          [path || metadata.type]: [NUL_CHARACTER_MESSAGE],
        });
      }
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new BalaiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) =>
      new AppException(HttpStatus.BAD_REQUEST, VALIDATION_FAILED.code, VALIDATION_FAILED.text, flatten(errors)),
  });
}
