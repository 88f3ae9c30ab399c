/**
 * How the API documents its responses (OpenAPI via @nestjs/swagger), in one place:
 * the error shape, the error statuses a route can answer, file and CSV downloads, and a
 * last pass over the document (`finishApiDocument`) that adds what every route of a kind
 * can answer (400 for bad parameters, 413/415 for bodies, 503 while the database is
 * unreachable) and copies the validation rules of the DTOs into their schemas.
 * The fuzz test (test/fuzz) holds the API to this document, so keep it exact.
 */
import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
  OpenAPIObject,
} from '@nestjs/swagger';
import { applyValidationRules, RETRY_AFTER_SECONDS } from '@balai/common';

/** Swagger model of the one error shape (`ErrorResponse` in @balai/common). */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable machine-readable code' }) error!: string;
  @ApiProperty({
    example: 'Data yang diisi belum benar.',
    description: 'Bahasa Indonesia or English by Accept-Language',
  })
  message!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { 'ikm.nib': ['NIB harus 13 digit angka.'] },
  })
  details?: Record<string, string[]>;
  @ApiPropertyOptional({ description: 'Present on 5xx answers; the same id is in the log line, for support' })
  errorId?: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (validation failed, malformed id, bad enum or date)',
  401: 'Not signed in or token invalid',
  403: 'Signed in but this role/ownership is not allowed',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: 'Body or file too large',
  415: 'Unsupported file type or body encoding',
  429: 'Too many attempts (Retry-After may say when to try again)',
  503: 'The database or Redis is unreachable right now; retry after Retry-After seconds',
};

const ERROR_SCHEMA_REF = { $ref: '#/components/schemas/ErrorResponseDto' };

/** Documents the error responses a route can return, all in the one error shape (application/json). */
export function ApiErrorResponses(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ErrorResponseDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponseDto) } } },
      }),
    ),
  );
}

/** Older name of `ApiErrorResponses`. */
export const ApiErrors = ApiErrorResponses;

/** A signed-in route: bearer auth plus the 401/403 it can answer. */
export function ApiAuth(...extra: number[]) {
  return applyDecorators(ApiBearerAuth(), ApiErrorResponses(401, 403, ...extra));
}

/**
 * A download: the success status with its media types (binary or text), errors stay JSON.
 * (`@ApiProduces` would claim the file type for the error responses as well.)
 */
export function ApiFileResponse(mediaTypes: string[], description: string, status = 200) {
  const schema = mediaTypes.every((t) => t.startsWith('text/'))
    ? { type: 'string' }
    : { type: 'string', format: 'binary' };
  return ApiResponse({ status, description, content: Object.fromEntries(mediaTypes.map((t) => [t, { schema }])) });
}

/** A CSV export (UTF-8, header row first). */
export const ApiCsvResponse = (description = 'CSV, UTF-8, with a header row') =>
  ApiFileResponse(['text/csv'], description);

/**
 * What an ISO-8601 instant with an offset looks like (see IsInstant), for the document:
 * years 2000-2100, seconds and up to 3 fraction digits optional, `Z` or `+hh:mm`.
 * IsInstant also rejects impossible dates such as 30 February.
 */
export const INSTANT_PATTERN =
  '^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,3})?)?(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$';

type Operation = {
  parameters?: Array<{ in?: string }>;
  requestBody?: unknown;
  responses: Record<string, unknown>;
};

function addError(op: Operation, status: number): void {
  op.responses[String(status)] ??= {
    description: DESCRIPTIONS[status] ?? 'Error',
    content: { 'application/json': { schema: ERROR_SCHEMA_REF } },
    ...(status === 503
      ? {
          headers: {
            'Retry-After': {
              description: `Seconds to wait (usually ${RETRY_AFTER_SECONDS})`,
              schema: { type: 'integer' },
            },
          },
        }
      : {}),
  };
}

/**
 * Fields named `...At` (and `...Until`) are instants everywhere in this API (ISO-8601 from `toISOString()` or
 * with the Jakarta offset). Where a DTO did not say so itself (see ApiDateTime), the document
 * still says `string`/`date-time`, so clients and the fuzzer check them as such. Request
 * fields keep the pattern their IsInstant validator gave them instead.
 */
function documentInstants(schemas: Record<string, { properties?: Record<string, Record<string, unknown>> }>): void {
  for (const schema of Object.values(schemas)) {
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (!/(At|Until)$/.test(name) || property.$ref || property.pattern || property.format) continue;
      if (property.type === undefined || property.type === 'object' || property.type === 'string') {
        property.type = 'string';
        property.format = 'date-time';
      }
    }
  }
}

/**
 * The last pass over the generated document: validation rules into the request schemas,
 * and the error statuses every route of a kind can answer.
 */
export function finishApiDocument(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  applyValidationRules(document, {
    isInstant: { type: 'string', pattern: INSTANT_PATTERN, example: '2026-12-01T09:00:00+07:00' },
  });
  documentInstants(
    document.components.schemas as Record<string, { properties?: Record<string, Record<string, unknown>> }>,
  );
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(methods as Record<string, Operation>)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const op = value;
      const params = op.parameters ?? [];
      if (op.requestBody || params.some((p) => p.in === 'path' || p.in === 'query')) addError(op, 400);
      if (op.requestBody) {
        addError(op, 413);
        addError(op, 415);
      }
      // Health reports its own 503 shape; every other route can meet an unreachable database.
      if (!path.endsWith('/health')) addError(op, 503);
    }
  }
  return document;
}
