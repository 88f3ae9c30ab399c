import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { COURSE_STATUSES, COURSE_TYPES, CourseStatus, CourseType } from '@balai/domain';
import { INSTANT_PATTERN } from '../../common/api-docs';
import { IsInstant } from '../../common/instant.validator';
import { ApiNullableDateTime } from '../../common/dto/openapi-fields';

export class ReportQueryDto {
  @ApiPropertyOptional({ description: 'Courses running on or after (ISO with offset)', pattern: INSTANT_PATTERN })
  @IsOptional()
  @IsInstant()
  from?: string;
  @ApiPropertyOptional({ description: 'Courses running on or before (ISO with offset)', pattern: INSTANT_PATTERN })
  @IsOptional()
  @IsInstant()
  to?: string;
  @ApiPropertyOptional({ enum: COURSE_TYPES })
  @IsOptional()
  @IsIn(COURSE_TYPES as unknown as string[])
  type?: CourseType;
  @ApiPropertyOptional({ enum: COURSE_STATUSES })
  @IsOptional()
  @IsIn(COURSE_STATUSES as unknown as string[])
  status?: CourseStatus;
}

export const GROUP_BY = ['sector', 'kecamatan'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export class ParticipationQueryDto extends ReportQueryDto {
  @ApiProperty({ enum: GROUP_BY }) @IsIn(GROUP_BY as unknown as string[]) groupBy!: GroupBy;
}

export class CourseReportParticipantDto {
  @ApiProperty() userId!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional() businessName?: string;
  @ApiPropertyOptional() sector?: string;
  @ApiPropertyOptional() kecamatan?: string;
  @ApiProperty() attendancePercent!: number;
  @ApiProperty() attendedAtLeastOnce!: boolean;
  @ApiProperty() metThreshold!: boolean;
  @ApiProperty() certified!: boolean;
  @ApiPropertyOptional() certificateNumber?: string;
}

export class CourseSummaryDto {
  @ApiProperty() courseId!: string;
  @ApiProperty() code!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: COURSE_TYPES }) type!: string;
  @ApiProperty({ enum: COURSE_STATUSES }) status!: string;
  @ApiProperty() capacity!: number;
  @ApiProperty() enrolled!: number;
  @ApiProperty() waitlisted!: number;
  @ApiProperty() attendedAtLeastOnce!: number;
  @ApiProperty() metThreshold!: number;
  @ApiProperty() certified!: number;
  @ApiProperty() minAttendancePercent!: number;
  @ApiNullableDateTime({ description: 'First session start; null without sessions' }) startsAt!: string | null;
}

export class CourseReportDto extends CourseSummaryDto {
  @ApiProperty({ type: [CourseReportParticipantDto] }) participants!: CourseReportParticipantDto[];
}

export class ParticipationRowDto {
  @ApiProperty({ description: 'Sector code or kecamatan name' }) group!: string;
  @ApiProperty({ description: 'Human label (Bahasa Indonesia)' }) label!: string;
  @ApiProperty({ description: 'Distinct participants enrolled in at least one course' }) participants!: number;
  @ApiProperty({ description: 'Enrolments (a person in two courses counts twice)' }) enrollments!: number;
  @ApiProperty({
    description:
      'Distinct participants who attended at least one session of a course they are enrolled in (never more than participants)',
  })
  attendedAtLeastOnce!: number;
  @ApiProperty({
    description:
      'Distinct participants who met the attendance threshold of at least one course (never more than attendedAtLeastOnce, unless a threshold is 0)',
  })
  metThreshold!: number;
  @ApiProperty({ description: 'Distinct participants holding a valid certificate of at least one course' })
  certified!: number;
  @ApiProperty({ description: 'Enrolments with any attendance (counted like `enrollments`)' })
  enrollmentsAttended!: number;
  @ApiProperty({ description: 'Enrolments that met the threshold (counted like `enrollments`)' })
  enrollmentsMetThreshold!: number;
  @ApiProperty({ description: 'Enrolments with a valid certificate (counted like `enrollments`)' })
  enrollmentsCertified!: number;
}

export class ParticipationReportDto {
  @ApiProperty({ enum: GROUP_BY }) groupBy!: GroupBy;
  @ApiProperty() courseCount!: number;
  @ApiProperty({ type: [ParticipationRowDto] }) rows!: ParticipationRowDto[];
}
