import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsMongoId, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';

/** Absent means unchanged; an explicit null is rejected rather than read as absent. */
const unlessAbsent = ValidateIf((_: object, value: unknown) => value !== undefined);
import { SESSION_STATUSES, SessionStatus } from '@balai/domain';
import { IsInstant } from '../../common/instant.validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateSessionDto {
  @ApiProperty({ example: 'Sesi 1: Dasar pemasaran digital' }) @Transform(trim) @IsString() @MinLength(2) @MaxLength(200) title!: string;
  @ApiProperty({ example: '2026-12-01T09:00:00+07:00', description: 'ISO-8601 with offset; Asia/Jakarta (+07:00) as entered by staff' })
  @IsInstant()
  startsAt!: string;
  @ApiProperty({ example: '2026-12-01T12:00:00+07:00' }) @IsInstant() endsAt!: string;
  @ApiPropertyOptional({ type: [String], description: 'Defaults to the course trainers' })
  @IsOptional()
  @IsMongoId({ each: true })
  @ArrayUnique()
  @ArrayMaxSize(20)
  trainerIds?: string[];
}

export class UpdateSessionDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MinLength(2) @MaxLength(200) title?: string;
  @ApiPropertyOptional({ example: '2026-12-02T09:00:00+07:00' }) @unlessAbsent @IsInstant() startsAt?: string;
  @ApiPropertyOptional({ example: '2026-12-02T12:00:00+07:00' }) @unlessAbsent @IsInstant() endsAt?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsMongoId({ each: true }) @ArrayUnique() @ArrayMaxSize(20) trainerIds?: string[];
  @ApiPropertyOptional({ description: 'Shown to participants in the notice' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class CancelSessionDto {
  @ApiPropertyOptional({ description: 'Shown to participants in the notice' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class SessionResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() courseId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'UTC' }) startsAt!: string;
  @ApiProperty({ description: 'UTC' }) endsAt!: string;
  @ApiProperty({ description: 'Asia/Jakarta', example: '2026-12-01T09:00:00.000+07:00' }) startsAtLocal!: string;
  @ApiProperty({ description: 'Asia/Jakarta' }) endsAtLocal!: string;
  @ApiProperty({ type: [String] }) trainerIds!: string[];
  @ApiProperty({ enum: SESSION_STATUSES }) status!: SessionStatus;
}
