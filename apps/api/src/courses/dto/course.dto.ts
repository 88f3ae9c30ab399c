import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsInt,
  IsMongoId,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  COURSE_STATUSES,
  COURSE_TYPES,
  CourseStatus,
  CourseType,
  DEFAULT_MIN_ATTENDANCE_PERCENT,
  ENROLLMENT_STATUSES,
  EnrollmentStatus,
  SCHEDULE_PHASES,
  SchedulePhase,
  SESSION_STATUSES,
  SessionStatus,
} from '@balai/domain';
import { NullClears, OptionalNotNull, RequireSomeField } from '../../common/dto/optional-fields';
import { ApiDateTime, ApiNullableDateTime } from '../../common/dto/openapi-fields';
import { INSTANT_PATTERN } from '../../common/api-docs';
import { IsInstant } from '../../common/instant.validator';
import { PageMetaDto, PageQueryDto } from '../../common/pagination';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CertificateRulesDto {
  @ApiPropertyOptional({ default: true }) @OptionalNotNull() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100,
    default: DEFAULT_MIN_ATTENDANCE_PERCENT,
    description: 'Minimum attendance, % of scheduled session minutes',
  })
  @OptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(100)
  minAttendancePercent?: number;
  @ApiPropertyOptional({ default: false }) @OptionalNotNull() @IsBoolean() autoIssue?: boolean;
}

export class CreateCourseDto {
  @ApiProperty({ example: 'PKM-2026-01', description: 'Letters, digits and dashes; used in certificate numbers' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString()
  @Matches(/^[A-Z0-9][A-Z0-9-]{1,31}$/, {
    message: 'Kode pelatihan: 2-32 huruf, angka atau tanda hubung / Course code: 2-32 letters, digits or dashes',
  })
  code!: string;

  @ApiProperty({ example: 'Pemasaran Digital untuk IKM' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title!: string;
  @ApiPropertyOptional({ nullable: true, description: '`null` or empty clears it' })
  @NullClears()
  @IsString()
  @MaxLength(10_000)
  description?: string;
  @ApiProperty({ example: 'Pemasaran' }) @Transform(trim) @IsString() @MinLength(2) @MaxLength(80) category!: string;
  @ApiProperty({ enum: COURSE_TYPES }) @IsIn(COURSE_TYPES as unknown as string[]) type!: CourseType;

  @ApiPropertyOptional({ type: [String], description: 'User ids of active trainers; `[]` for none (not nullable)' })
  @OptionalNotNull()
  @IsMongoId({ each: true })
  @ArrayUnique()
  @ArrayMaxSize(20)
  trainerIds?: string[];

  @ApiProperty({ minimum: 1, maximum: 10000 }) @IsInt() @Min(1) @Max(10_000) capacity!: number;
  @ApiProperty({ example: '2026-12-01T08:00:00+07:00' }) @IsInstant() registrationOpensAt!: string;
  @ApiProperty({ example: '2026-12-10T23:59:00+07:00' }) @IsInstant() registrationClosesAt!: string;
  @ApiProperty({ minimum: 0, maximum: 1000, description: 'Jam pelajaran (JP)' })
  @IsInt()
  @Min(0)
  @Max(1000)
  lessonHours!: number;

  @ApiPropertyOptional({
    type: CertificateRulesDto,
    description: 'Rules to change; omitted rules keep their value (not nullable)',
  })
  @OptionalNotNull()
  @IsObject({ message: 'certificate harus berupa objek / certificate must be an object' })
  @ValidateNested()
  @Type(() => CertificateRulesDto)
  certificate?: CertificateRulesDto;

  @ApiPropertyOptional({ example: 'Daring (Balai)', nullable: true, description: '`null` or empty clears it' })
  @NullClears()
  @IsString()
  @MaxLength(200)
  location?: string;

  @ApiPropertyOptional({
    default: false,
    description:
      'Record every session automatically: the live service starts recording when a host is in the room (not nullable)',
  })
  @OptionalNotNull()
  @IsBoolean()
  autoRecord?: boolean;
}

/** Absent fields stay as they are; `null` is a 400 except where the field says it clears (see OptionalNotNull). */
@RequireSomeField()
export class UpdateCourseDto extends PartialType(CreateCourseDto, { skipNullProperties: false }) {}

export class ChangeStatusDto {
  @ApiProperty({ enum: COURSE_STATUSES }) @IsIn(COURSE_STATUSES as unknown as string[]) status!: CourseStatus;
}

export class CourseQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: COURSE_STATUSES })
  @IsOptional()
  @IsIn(COURSE_STATUSES as unknown as string[])
  status?: CourseStatus;
  @ApiPropertyOptional({ enum: COURSE_TYPES })
  @IsOptional()
  @IsIn(COURSE_TYPES as unknown as string[])
  type?: CourseType;
  @ApiPropertyOptional({
    description: 'Courses running on or after this instant (ISO with offset)',
    pattern: INSTANT_PATTERN,
  })
  @IsOptional()
  @IsInstant()
  from?: string;
  @ApiPropertyOptional({
    description: 'Courses running on or before this instant (ISO with offset)',
    pattern: INSTANT_PATTERN,
  })
  @IsOptional()
  @IsInstant()
  to?: string;
  @ApiPropertyOptional({ description: 'Text in the title', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
  @ApiPropertyOptional({ maxLength: 80 }) @IsOptional() @IsString() @MaxLength(80) category?: string;
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

export class NextSessionDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiDateTime() startsAt!: string;
  @ApiDateTime() endsAt!: string;
  @ApiDateTime({ description: 'Asia/Jakarta (+07:00)' }) startsAtLocal!: string;
  @ApiProperty({ enum: SESSION_STATUSES }) status!: SessionStatus;
}

export class MyCourseEnrollmentDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ENROLLMENT_STATUSES }) status!: EnrollmentStatus;
  @ApiPropertyOptional({ description: '1-based place on the waitlist, when waitlisted' }) waitlistPosition?: number;
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
  @ApiDateTime({ description: 'UTC' }) registrationOpensAt!: string;
  @ApiDateTime({ description: 'UTC' }) registrationClosesAt!: string;
  @ApiDateTime({ description: 'Asia/Jakarta (+07:00)' }) registrationOpensAtLocal!: string;
  @ApiDateTime({ description: 'Asia/Jakarta (+07:00)' }) registrationClosesAtLocal!: string;
  @ApiProperty() lessonHours!: number;
  @ApiProperty({ type: CertificateRulesResponseDto }) certificate!: CertificateRulesResponseDto;
  @ApiPropertyOptional() location?: string;
  @ApiProperty({ description: 'Every session is recorded automatically once a host is in the room' })
  autoRecord!: boolean;
  @ApiNullableDateTime({ description: 'First session start, UTC; null without sessions' }) startsAt!: string | null;
  @ApiNullableDateTime({ description: 'Last session end, UTC; null without sessions' }) endsAt!: string | null;
  @ApiNullableDateTime({
    description: 'Start of the next session not over yet (running now or to come), UTC; null when none is left',
  })
  nextSessionAt!: string | null;
  @ApiProperty({
    type: NextSessionDto,
    nullable: true,
    description: 'The next session not over yet; null when none is left',
  })
  nextSession!: NextSessionDto | null;
  @ApiProperty({
    enum: SCHEDULE_PHASES,
    description:
      '`over` once every non-cancelled session has ended (by its host or its scheduled end): no longer upcoming, no enrolment',
  })
  schedulePhase!: SchedulePhase;
  @ApiProperty({
    description:
      'A participant may enrol now (published/ongoing, inside the registration window, sessions not all over)',
  })
  enrollmentOpen!: boolean;
  @ApiProperty({
    enum: COURSE_STATUSES,
    isArray: true,
    description: 'Lifecycle steps POST /courses/{id}/status accepts now',
  })
  allowedTransitions!: CourseStatus[];
  @ApiPropertyOptional({
    type: MyCourseEnrollmentDto,
    nullable: true,
    description: 'GET /courses/{id} for a participant: their own enrolment (null when none)',
  })
  myEnrollment?: MyCourseEnrollmentDto | null;
  @ApiDateTime() createdAt!: string;
}

export class CoursePageDto extends PageMetaDto {
  @ApiProperty({ type: [CourseResponseDto] }) items!: CourseResponseDto[];
}
