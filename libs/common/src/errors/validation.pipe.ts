import { HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
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

/**
 * The global validation pipe: unknown fields are rejected, payloads are
 * transformed to DTO classes, and failures become `VALIDATION_FAILED` with
 * one entry per field in `details`.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) =>
      new AppException(HttpStatus.BAD_REQUEST, VALIDATION_FAILED.code, VALIDATION_FAILED.text, flatten(errors)),
  });
}
