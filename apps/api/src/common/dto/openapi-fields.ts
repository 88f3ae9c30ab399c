/**
 * Shared OpenAPI shapes of response fields, so every instant is documented the same way:
 * a `string` with `format: date-time` (never `object`, which is what TypeScript's
 * `string | null` reflects as).
 */
import { ApiProperty, ApiPropertyOptions, ApiPropertyOptional } from '@nestjs/swagger';

type Extra = Pick<ApiPropertyOptions, 'description' | 'example'>;

/** Always present: an ISO-8601 instant (UTC unless the description says otherwise). */
export const ApiDateTime = (extra: Extra = {}) => ApiProperty({ type: String, format: 'date-time', ...extra });

/** Present only when set. */
export const ApiDateTimeOptional = (extra: Extra = {}) =>
  ApiPropertyOptional({ type: String, format: 'date-time', ...extra });

/** Always present, `null` when there is none (e.g. a course without sessions has no start). */
export const ApiNullableDateTime = (extra: Extra = {}) =>
  ApiProperty({ type: String, format: 'date-time', nullable: true, ...extra } as ApiPropertyOptions);
