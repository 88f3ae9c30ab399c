import { INELIGIBILITY_REASONS, IneligibilityReason } from '@balai/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { ApiDateTime, ApiDateTimeOptional } from '../../common/dto/openapi-fields';

export class RevokeCertificateDto {
  @ApiProperty({ example: 'Data peserta tidak sesuai', minLength: 3, maxLength: 500 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason!: string;
}

export class CertificateResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() courseId!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({ example: '0007/PKM-2026-01/DISPERIN/2026' }) number!: string;
  @ApiProperty() verificationCode!: string;
  @ApiProperty() verificationUrl!: string;
  @ApiDateTime() issuedAt!: string;
  @ApiProperty({ enum: ['valid', 'revoked'] }) status!: 'valid' | 'revoked';
  @ApiDateTimeOptional() revokedAt?: string;
  @ApiPropertyOptional() revokedReason?: string;
  @ApiProperty() participantName!: string;
  @ApiPropertyOptional() businessName?: string;
  @ApiProperty() courseTitle!: string;
  @ApiProperty({ description: 'SHA-256 of the PDF, hex' }) pdfSha256!: string;
}

export class CertificatePageDto {
  @ApiProperty({ type: [CertificateResponseDto] }) items!: CertificateResponseDto[];
  @ApiProperty() total!: number;
}

export class VerificationResponseDto {
  @ApiProperty({ enum: ['valid', 'revoked'] }) status!: 'valid' | 'revoked';
  @ApiProperty() number!: string;
  @ApiProperty() participantName!: string;
  @ApiPropertyOptional() businessName?: string;
  @ApiProperty() courseTitle!: string;
  @ApiPropertyOptional() lessonHours?: number;
  @ApiDateTime() issuedAt!: string;
  @ApiDateTimeOptional() revokedAt?: string;
  @ApiPropertyOptional() revokedReason?: string;
}

export class JobFailureDto {
  @ApiProperty() jobId!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({ description: 'The error of the last attempt' }) reason!: string;
  @ApiProperty() attemptsMade!: number;
  @ApiDateTimeOptional() failedAt?: string;
}

export class IssueProgressDto {
  @ApiProperty({ description: 'Participants with a job or a certificate in this course' }) total!: number;
  @ApiProperty({ description: 'Certificates issued' }) done!: number;
  @ApiProperty() waiting!: number;
  @ApiProperty() active!: number;
  @ApiProperty() delayed!: number;
  @ApiProperty() completed!: number;
  @ApiProperty() failed!: number;
  @ApiProperty({
    description:
      'Of the active jobs, those whose worker is gone (killed or crashed); a worker that starts hands them back within seconds',
  })
  stalled!: number;
  @ApiProperty({ enum: ['idle', 'running', 'done', 'failed'] }) state!: 'idle' | 'running' | 'done' | 'failed';
  @ApiProperty({ type: [JobFailureDto] }) failures!: JobFailureDto[];
}

export class NotEligibleDto {
  @ApiProperty() userId!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional() businessName?: string;
  @ApiProperty() attendancePercent!: number;
  @ApiProperty({ description: 'Attended minutes over the sessions as held' }) attendedMinutes!: number;
  @ApiProperty({ description: 'Minutes counted over: non-cancelled sessions, each as long as it was held' })
  scheduledMinutes!: number;
  @ApiProperty({ enum: [...INELIGIBILITY_REASONS, 'NOT_ELIGIBLE'] }) reason!: string;
  @ApiProperty() sessionsAttended!: number;
  @ApiProperty({ description: 'Always false here' }) eligible!: boolean;
}

export class EligibilityRowDto {
  @ApiProperty() userId!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional() businessName?: string;
  @ApiProperty() attendancePercent!: number;
  @ApiProperty() attendedMinutes!: number;
  @ApiProperty() sessionsAttended!: number;
  @ApiProperty() eligible!: boolean;
  @ApiPropertyOptional({ enum: INELIGIBILITY_REASONS, description: 'Why not, when not eligible' })
  reason?: IneligibilityReason;
  @ApiProperty() certified!: boolean;
}

export class CertificateEligibilityDto {
  @ApiProperty() courseId!: string;
  @ApiProperty() certificatesEnabled!: boolean;
  @ApiProperty() minAttendancePercent!: number;
  @ApiProperty({
    description:
      'Minutes counted over: non-cancelled sessions, each as long as it was held (ended early: until it ended)',
  })
  scheduledMinutes!: number;
  @ApiProperty() sessionCount!: number;
  @ApiProperty({
    description: 'Every session is over (ended by the trainer, or past its scheduled end): certificates can be issued',
  })
  allSessionsEnded!: boolean;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'While not all sessions are over: the scheduled end of the last one (earlier if the trainer ends it)',
  })
  issuableFrom!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The same in Asia/Jakarta (+07:00)' })
  issuableFromLocal!: string | null;
  @ApiProperty() eligibleCount!: number;
  @ApiProperty({ type: [EligibilityRowDto], description: 'Every enrolled participant, by name' })
  participants!: EligibilityRowDto[];
}

export class IssueResultDto extends IssueProgressDto {
  @ApiProperty({ description: 'Jobs enqueued by this request (eligible and not yet certified)' }) enqueued!: number;
  @ApiProperty() minAttendancePercent!: number;
  @ApiProperty({ type: [NotEligibleDto] }) notEligible!: NotEligibleDto[];
}

export class RetryResultDto {
  @ApiProperty() retried!: number;
}
