import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsMongoId,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ATTENDANCE_BATCH_MAX } from '@balai/domain';
import { ApiDateTime, ApiNullableDateTime } from '../../common/dto/openapi-fields';
import { OptionalNotNull } from '../../common/dto/optional-fields';
import { IsInstant } from '../../common/instant.validator';

/** Mirrors `AttendanceEvent` in @balai/domain (the live service's contract). */
export class AttendanceEventDto {
  @ApiProperty({ description: 'Unique per event (UUID); makes retries idempotent' })
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{8,100}$/)
  eventId!: string;

  @ApiProperty({ enum: ['join', 'leave'] }) @IsIn(['join', 'leave']) type!: 'join' | 'leave';
  @ApiProperty() @IsMongoId() sessionId!: string;
  @ApiProperty() @IsMongoId() userId!: string;
  @ApiProperty({ example: '2026-12-01T02:03:04.000Z' }) @IsInstant() at!: string;
  @ApiPropertyOptional({ example: 'disconnected' }) @OptionalNotNull() @IsString() @MaxLength(60) reason?: string;
  @ApiPropertyOptional({
    description: 'For a leave: the eventId of the join that opened the interval (the interval is reached by it)',
  })
  @OptionalNotNull()
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{8,100}$/)
  joinEventId?: string;
}

export class AttendanceEventResultDto {
  @ApiProperty({ enum: ['recorded', 'duplicate', 'ignored'] }) result!: 'recorded' | 'duplicate' | 'ignored';
}

export class AttendanceEventBatchDto {
  @ApiProperty({ type: [AttendanceEventDto], minItems: 1, maxItems: ATTENDANCE_BATCH_MAX })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ATTENDANCE_BATCH_MAX)
  @ValidateNested({ each: true })
  @Type(() => AttendanceEventDto)
  events!: AttendanceEventDto[];
}

export class AttendanceBatchItemResultDto {
  @ApiProperty() eventId!: string;
  @ApiProperty({
    enum: ['recorded', 'duplicate', 'ignored', 'rejected', 'retry'],
    description: 'retry: not stored this time (a transient failure), send it again; every other result is final',
  })
  result!: 'recorded' | 'duplicate' | 'ignored' | 'rejected' | 'retry';
  @ApiPropertyOptional({ description: 'For rejected: the error code (e.g. NOT_FOUND, EVENT_IN_FUTURE)' })
  code?: string;
}

export class AttendanceBatchResultDto {
  @ApiProperty({ type: [AttendanceBatchItemResultDto], description: 'One per event, in the order sent' })
  results!: AttendanceBatchItemResultDto[];
}

export class SessionAttendanceRowDto {
  @ApiProperty() userId!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional() businessName?: string;
  @ApiProperty({
    description: 'enrolled, waitlisted, cancelled, removed, or "guest" (a participant without an enrolment)',
  })
  enrollmentStatus!: string;
  @ApiNullableDateTime({ description: 'null if they never joined' }) firstJoinAt!: string | null;
  @ApiNullableDateTime({ description: 'null if never joined or still in the room' }) lastLeaveAt!: string | null;
  @ApiProperty() attendedMinutes!: number;
  @ApiProperty() scheduledMinutes!: number;
  @ApiProperty() percent!: number;
  @ApiProperty() connections!: number;
}

export class SessionAttendanceDto {
  @ApiProperty() sessionId!: string;
  @ApiProperty() courseId!: string;
  @ApiDateTime() startsAt!: string;
  @ApiDateTime() endsAt!: string;
  @ApiProperty({
    description: 'End of the window minutes count against: the scheduled end, or when the host ended the session early',
  })
  heldUntil!: string;
  @ApiProperty({
    type: [SessionAttendanceRowDto],
    description: 'Participants only (trainers and staff in the room are left out)',
  })
  rows!: SessionAttendanceRowDto[];
}

export class CourseAttendanceRowDto {
  @ApiProperty() userId!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional() businessName?: string;
  @ApiProperty() attendedMinutes!: number;
  @ApiProperty() scheduledMinutes!: number;
  @ApiProperty() percent!: number;
  @ApiProperty() sessionsAttended!: number;
  @ApiProperty() meetsThreshold!: boolean;
}

export class CourseAttendanceDto {
  @ApiProperty() courseId!: string;
  @ApiProperty() minAttendancePercent!: number;
  @ApiProperty() sessionCount!: number;
  @ApiProperty({ type: [CourseAttendanceRowDto] }) rows!: CourseAttendanceRowDto[];
}
