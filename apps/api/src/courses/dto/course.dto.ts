import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsInt,
  IsMongoId,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { COURSE_STATUSES, COURSE_TYPES, CourseStatus, CourseType, DEFAULT_MIN_ATTENDANCE_PERCENT } from '@balai/domain';
import { IsInstant } from '../../common/instant.validator';
import { PageMetaDto, PageQueryDto } from '../../common/pagination';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CertificateRulesDto {
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: DEFAULT_MIN_ATTENDANCE_PERCENT, description: 'Minimum attendance, % of scheduled session minutes' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  minAttendancePercent?: number;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() autoIssue?: boolean;
}

export class CreateCourseDto {
  @ApiProperty({ example: 'PKM-2026-01', description: 'Letters, digits and dashes; used in certificate numbers' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString()
  @Matches(/^[A-Z0-9][A-Z0-9-]{1,31}$/, { message: 'Kode kursus: 2-32 huruf, angka atau tanda hubung / Course code: 2-32 letters, digits or dashes' })
  code!: string;

  @ApiProperty({ example: 'Pemasaran Digital untuk IKM' }) @Transform(trim) @IsString() @MinLength(3) @MaxLength(200) title!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10_000) description?: string;
  @ApiProperty({ example: 'Pemasaran' }) @Transform(trim) @IsString() @MinLength(2) @MaxLength(80) category!: string;
  @ApiProperty({ enum: COURSE_TYPES }) @IsIn(COURSE_TYPES as unknown as string[]) type!: CourseType;

  @ApiPropertyOptional({ type: [String], description: 'User ids of trainers' })
  @IsOptional()
  @IsMongoId({ each: true })
  @ArrayUnique()
  @ArrayMaxSize(20)
  trainerIds?: string[];

  @ApiProperty({ minimum: 1, maximum: 10000 }) @IsInt() @Min(1) @Max(10_000) capacity!: number;
  @ApiProperty({ example: '2026-12-01T08:00:00+07:00' }) @IsInstant() registrationOpensAt!: string;
  @ApiProperty({ example: '2026-12-10T23:59:00+07:00' }) @IsInstant() registrationClosesAt!: string;
  @ApiProperty({ minimum: 0, maximum: 1000, description: 'Jam pelajaran (JP)' }) @IsInt() @Min(0) @Max(1000) lessonHours!: number;

  @ApiPropertyOptional({ type: CertificateRulesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CertificateRulesDto)
  certificate?: CertificateRulesDto;

  @ApiPropertyOptional({ example: 'Daring (Balai)' }) @IsOptional() @IsString() @MaxLength(200) location?: string;
}

export class UpdateCourseDto extends PartialType(CreateCourseDto) {}

export class ChangeStatusDto {
  @ApiProperty({ enum: COURSE_STATUSES }) @IsIn(COURSE_STATUSES as unknown as string[]) status!: CourseStatus;
}

export class CourseQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: COURSE_STATUSES }) @IsOptional() @IsIn(COURSE_STATUSES as unknown as string[]) status?: CourseStatus;
  @ApiPropertyOptional({ enum: COURSE_TYPES }) @IsOptional() @IsIn(COURSE_TYPES as unknown as string[]) type?: CourseType;
  @ApiPropertyOptional({ description: 'Courses running on or after this instant (ISO with offset)' }) @IsOptional() @IsInstant() from?: string;
  @ApiPropertyOptional({ description: 'Courses running on or before this instant (ISO with offset)' }) @IsOptional() @IsInstant() to?: string;
  @ApiPropertyOptional({ description: 'Text in the title' }) @IsOptional() @IsString() @MaxLength(100) q?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(80) category?: string;
}

export class TrainerRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class CertificateRulesResponseDto {
  @ApiProperty() enabled!: boolean;
  @ApiProperty() minAttendancePercent!: number;
  @ApiProperty() autoIssue!: boolean;
}

export class CourseResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty() category!: string;
  @ApiProperty({ enum: COURSE_TYPES }) type!: CourseType;
  @ApiProperty({ enum: COURSE_STATUSES }) status!: CourseStatus;
  @ApiProperty({ type: [TrainerRefDto] }) trainers!: TrainerRefDto[];
  @ApiProperty() capacity!: number;
  @ApiProperty() seatsTaken!: number;
  @ApiProperty() seatsLeft!: number;
  @ApiProperty({ description: 'UTC' }) registrationOpensAt!: string;
  @ApiProperty({ description: 'UTC' }) registrationClosesAt!: string;
  @ApiProperty({ description: 'Asia/Jakarta' }) registrationOpensAtLocal!: string;
  @ApiProperty({ description: 'Asia/Jakarta' }) registrationClosesAtLocal!: string;
  @ApiProperty() lessonHours!: number;
  @ApiProperty({ type: CertificateRulesResponseDto }) certificate!: CertificateRulesResponseDto;
  @ApiPropertyOptional() location?: string;
  @ApiPropertyOptional({ nullable: true, description: 'First session start, UTC' }) startsAt!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Last session end, UTC' }) endsAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export class CoursePageDto extends PageMetaDto {
  @ApiProperty({ type: [CourseResponseDto] }) items!: CourseResponseDto[];
}
