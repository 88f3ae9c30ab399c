import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ASSESSMENT_REASONS, QUESTION_TYPES, QuestionType, TEST_KINDS, TestKind } from '@balai/domain/assessment';

export class TestSettingsInputDto {
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional({ minimum: 1, maximum: 240, default: 20 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(240)
  timeLimitMinutes?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 10, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  maxAttempts?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 90, default: 7, description: 'Post-test: days it stays open' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  openDays?: number;
}

export class UpdateAssessmentSettingsDto {
  @ApiPropertyOptional({ type: TestSettingsInputDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TestSettingsInputDto)
  pre?: TestSettingsInputDto;
  @ApiPropertyOptional({ type: TestSettingsInputDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TestSettingsInputDto)
  post?: TestSettingsInputDto;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 100,
    description: 'Certificate needs a post-test score (best attempt) at or above this; null: not required',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  minPostTestPercent?: number | null;
  @ApiPropertyOptional({ description: 'Certificate needs the evaluation survey submitted' })
  @IsOptional()
  @IsBoolean()
  requireEvaluation?: boolean;
}

export class TestSettingsDto {
  @ApiProperty() enabled!: boolean;
  @ApiProperty() timeLimitMinutes!: number;
  @ApiProperty() maxAttempts!: number;
  @ApiPropertyOptional() openDays?: number;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Post-test opened early by a trainer (Asia/Jakarta ISO)',
  })
  openedAt?: string | null;
}

export class AssessmentSettingsDto {
  @ApiProperty() courseId!: string;
  @ApiProperty({ type: TestSettingsDto }) pre!: TestSettingsDto;
  @ApiProperty({ type: TestSettingsDto }) post!: TestSettingsDto;
  @ApiProperty({ type: Number, nullable: true }) minPostTestPercent!: number | null;
  @ApiProperty() requireEvaluation!: boolean;
}

export class AttemptSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() number!: number;
  @ApiProperty() startedAt!: string;
  @ApiPropertyOptional() submittedAt?: string;
  @ApiPropertyOptional() percent?: number;
  @ApiProperty({ enum: ['in_progress', 'submitted'] }) status!: 'in_progress' | 'submitted';
}

export class TestStatusDto {
  @ApiProperty({ enum: TEST_KINDS }) kind!: TestKind;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ enum: ['not_open', 'open', 'closed'] }) phase!: 'not_open' | 'open' | 'closed';
  @ApiProperty({ type: String, nullable: true }) opensAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) closesAt!: string | null;
  @ApiProperty() timeLimitMinutes!: number;
  @ApiProperty() maxAttempts!: number;
  @ApiProperty() questionCount!: number;
  @ApiProperty({ type: [AttemptSummaryDto], description: "The caller's own attempts (participants)" })
  attempts!: AttemptSummaryDto[];
  @ApiProperty() attemptsLeft!: number;
  @ApiPropertyOptional({ description: 'Best submitted score, percent' }) bestPercent?: number;
}

export class AttemptOptionDto {
  @ApiProperty() id!: string;
  @ApiProperty() text!: string;
  @ApiPropertyOptional({ description: 'Only once the test has closed' }) correct?: boolean;
}

export class AttemptQuestionDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: QUESTION_TYPES }) type!: QuestionType;
  @ApiProperty() text!: string;
  @ApiPropertyOptional() imageUrl?: string;
  @ApiProperty() points!: number;
  @ApiProperty({ type: [AttemptOptionDto], description: 'In this attempt’s shuffled order' })
  options!: AttemptOptionDto[];
  @ApiProperty({ type: [String], description: 'Saved answer (option ids)' }) selected!: string[];
  @ApiPropertyOptional({ description: 'Only once the test has closed' }) correct?: boolean;
}

export class AttemptViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() courseId!: string;
  @ApiProperty({ enum: TEST_KINDS }) kind!: TestKind;
  @ApiProperty() number!: number;
  @ApiProperty({ enum: ['in_progress', 'submitted'] }) status!: 'in_progress' | 'submitted';
  @ApiProperty() startedAt!: string;
  @ApiProperty({ description: 'Server deadline (time limit cut by the test close)' }) deadlineAt!: string;
  @ApiProperty({ description: 'Server clock when answered' }) serverNow!: string;
  @ApiProperty({ description: 'Seconds left by the server clock (0 once submitted)' }) remainingSeconds!: number;
  @ApiProperty({ description: 'Index of the first unanswered question (where a resume starts)' }) currentIndex!: number;
  @ApiProperty() answeredCount!: number;
  @ApiProperty({ type: [AttemptQuestionDto] }) questions!: AttemptQuestionDto[];
  @ApiPropertyOptional() submittedAt?: string;
  @ApiPropertyOptional({ enum: ['submit', 'timeout'] }) closedBy?: 'submit' | 'timeout';
  @ApiPropertyOptional() score?: number;
  @ApiPropertyOptional() maxScore?: number;
  @ApiPropertyOptional() percent?: number;
  @ApiProperty({ description: 'Correct answers are included (the test has closed)' }) reviewAvailable!: boolean;
}

export class SaveAnswerDto {
  @ApiProperty({ type: [String], maxItems: 10, description: 'Chosen option ids; empty clears the answer' })
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { each: true })
  optionIds!: string[];
}

export class SavedAnswerDto {
  @ApiProperty() questionId!: string;
  @ApiProperty({ type: [String] }) optionIds!: string[];
  @ApiProperty() savedAt!: string;
  @ApiProperty() remainingSeconds!: number;
}

export class CertificateRequirementsDto {
  @ApiProperty() courseId!: string;
  @ApiProperty({ description: 'All conditions met (a certificate is or will be issued)' }) eligible!: boolean;
  @ApiProperty({
    type: [String],
    description:
      'Unmet conditions, e.g. BELOW_THRESHOLD, POST_TEST_MISSING, POST_TEST_BELOW_MINIMUM, EVALUATION_MISSING',
    example: [...ASSESSMENT_REASONS],
  })
  reasons!: string[];
  @ApiProperty() attendancePercent!: number;
  @ApiProperty() minAttendancePercent!: number;
  @ApiProperty({ type: Number, nullable: true }) postTestPercent!: number | null;
  @ApiProperty({ type: Number, nullable: true }) minPostTestPercent!: number | null;
  @ApiProperty() evaluationSubmitted!: boolean;
  @ApiProperty() requireEvaluation!: boolean;
  @ApiProperty() certified!: boolean;
}
