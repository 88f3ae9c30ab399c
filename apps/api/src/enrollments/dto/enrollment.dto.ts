import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsMongoId } from 'class-validator';
import { ENROLLMENT_STATUSES, EnrollmentStatus, KECAMATAN, SECTOR_CODES } from '@balai/domain';
import { ApiDateTime, ApiDateTimeOptional, ApiNullableDateTime } from '../../common/dto/openapi-fields';

export class AdminEnrolDto {
  @ApiProperty({ description: 'Participant user id' })
  @IsMongoId({ message: 'userId harus ID yang valid / userId must be a valid id' })
  userId!: string;
}

export class CourseSeatsDto {
  @ApiProperty() capacity!: number;
  @ApiProperty() seatsTaken!: number;
  @ApiProperty() seatsLeft!: number;
}

export class EnrollmentResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() courseId!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({ enum: ENROLLMENT_STATUSES }) status!: EnrollmentStatus;
  @ApiProperty({ description: 'Place in line as the server saw the request' }) seq!: number;
  @ApiPropertyOptional({ description: '1-based position on the waitlist' }) waitlistPosition?: number;
  @ApiDateTimeOptional({ description: 'When a waitlisted enrolment got a seat' }) promotedAt?: string;
  @ApiDateTime() createdAt!: string;
  @ApiPropertyOptional({ description: 'The course seats right after this change (enrol, cancel, remove)' })
  seats?: CourseSeatsDto;
}

export class MyEnrollmentDto extends EnrollmentResponseDto {
  @ApiProperty() courseTitle!: string;
  @ApiProperty() courseCode!: string;
  @ApiProperty() courseStatus!: string;
  @ApiNullableDateTime({ description: 'First session start; null without sessions' }) courseStartsAt!: string | null;
}

export class RosterEntryDto {
  @ApiProperty() enrollmentId!: string;
  @ApiProperty() userId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiPropertyOptional() businessName?: string;
  @ApiPropertyOptional({ enum: SECTOR_CODES }) sector?: string;
  @ApiPropertyOptional({ enum: KECAMATAN }) kecamatan?: string;
  @ApiPropertyOptional() whatsapp?: string;
  @ApiProperty({ enum: ENROLLMENT_STATUSES }) status!: EnrollmentStatus;
  @ApiProperty() seq!: number;
  @ApiDateTime() createdAt!: string;
}

export class RosterDto {
  @ApiProperty() courseId!: string;
  @ApiProperty() capacity!: number;
  @ApiProperty() seatsTaken!: number;
  @ApiProperty({ type: [RosterEntryDto] }) enrolled!: RosterEntryDto[];
  @ApiProperty({ type: [RosterEntryDto], description: 'In promotion order' }) waitlist!: RosterEntryDto[];
}
