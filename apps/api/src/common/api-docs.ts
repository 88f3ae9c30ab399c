import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

/** Swagger model of the one error shape (`ErrorResponse` in @balai/common). */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable machine-readable code' }) error!: string;
  @ApiProperty({ example: 'Data yang diisi belum benar.', description: 'Bahasa Indonesia or English by Accept-Language' })
  message!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { 'ikm.nib': ['NIB harus 13 digit angka.'] },
  })
  details?: Record<string, string[]>;
  @ApiPropertyOptional({ description: 'Present on 500s; also in the log line' }) errorId?: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (validation failed, malformed id, bad enum or date)',
  401: 'Not signed in or token invalid',
  403: 'Signed in but this role/ownership is not allowed',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: 'Body or file too large',
  415: 'Unsupported file type',
  429: 'Too many attempts',
};

/** Documents the error responses a route can return, all in the one error shape. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto })),
  );
}

/** A signed-in route: bearer auth plus the 401/403 it can answer. */
export function ApiAuth(...extra: number[]) {
  return applyDecorators(ApiBearerAuth(), ApiErrors(401, 403, ...extra));
}
