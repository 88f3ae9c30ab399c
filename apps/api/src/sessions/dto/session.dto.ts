import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsMongoId, IsString, MaxLength, MinLength } from 'class-validator';
import { SESSION_STATUSES, SessionStatus } from '@balai/domain';
import { ApiDateTime } from '../../common/dto/openapi-fields';
import { OptionalNotNull, RequireSomeField } from '../../common/dto/optional-fields';
import { IsInstant } from '../../common/instant.validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateSessionDto {
  @ApiProperty({ example: 'Sesi 1: Dasar pemasaran digital' })
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  title!: string;
  @ApiProperty({
    example: '2026-12-01T09:00:00+07:00',
    description: 'ISO-8601 with offset; Asia/Jakarta (+07:00) as entered by staff',
  })
  @IsInstant()
  startsAt!: string;
  @ApiProperty({ example: '2026-12-01T12:00:00+07:00' }) @IsInstant() endsAt!: string;
  @ApiPropertyOptional({ type: [String], description: 'Defaults to the course trainers (not nullable)' })
  @OptionalNotNull()
  @IsMongoId({ each: true })
  @ArrayUnique()
  @ArrayMaxSize(20)
  trainerIds?: string[];
}

/** Absent fields stay as they are; none of them can be null. */
@RequireSomeField()
export class UpdateSessionDto {
  @ApiPropertyOptional() @OptionalNotNull() @Transform(trim) @IsString() @MinLength(2) @MaxLength(200) title?: string;
  @ApiPropertyOptional({ example: '2026-12-02T09:00:00+07:00' }) @OptionalNotNull() @IsInstant() startsAt?: string;
  @ApiPropertyOptional({ example: '2026-12-02T12:00:00+07:00' }) @OptionalNotNull() @IsInstant() endsAt?: string;
  @ApiPropertyOptional({ type: [String] })
  @OptionalNotNull()
  @IsMongoId({ each: true })
  @ArrayUnique()
  @ArrayMaxSize(20)
  trainerIds?: string[];
  @ApiPropertyOptional({ description: 'Shown to participants in the notice' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class CancelSessionDto {
  @ApiPropertyOptional({ description: 'Shown to participants in the notice' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class SessionResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() courseId!: string;
  @ApiProperty() title!: string;
  @ApiDateTime({ description: 'UTC' }) startsAt!: string;
  @ApiDateTime({ description: 'UTC' }) endsAt!: string;
  @ApiDateTime({ description: 'Asia/Jakarta', example: '2026-12-01T09:00:00.000+07:00' }) startsAtLocal!: string;
  @ApiDateTime({ description: 'Asia/Jakarta' }) endsAtLocal!: string;
  @ApiProperty({ type: [String] }) trainerIds!: string[];
  @ApiProperty({ enum: SESSION_STATUSES }) status!: SessionStatus;
}
