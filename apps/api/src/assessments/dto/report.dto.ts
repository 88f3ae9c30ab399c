import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class GainSummaryDto {
  @ApiProperty({ description: 'Participants with both a pre-test and a post-test' }) participants!: number;
  @ApiProperty({ type: Number, nullable: true }) averagePre!: number | null;
  @ApiProperty({ type: Number, nullable: true }) averagePost!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Percentage points' }) averageGain!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: "Hake's class normalised gain (post - pre) / (100 - pre)" })
  normalizedGain!: number | null;
}

export class GainGroupDto extends GainSummaryDto {
  @ApiProperty({ description: 'Sector code or kecamatan name' }) group!: string;
}

export class ParticipantScoreDto {
  @ApiProperty() userId!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional() businessName?: string;
  @ApiPropertyOptional() sector?: string;
  @ApiPropertyOptional() kecamatan?: string;
  @ApiProperty({ type: Number, nullable: true, description: 'First submitted pre-test attempt, percent' }) prePercent!:
    number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Best submitted post-test attempt, percent' })
  postPercent!: number | null;
  @ApiProperty({ type: Number, nullable: true }) gain!: number | null;
  @ApiProperty({ type: Number, nullable: true }) normalizedGain!: number | null;
  @ApiProperty() attendancePercent!: number;
  @ApiProperty({ description: 'Only the fact, never the answers' }) evaluationSubmitted!: boolean;
  @ApiProperty() certificateEligible!: boolean;
  @ApiProperty({ type: [String], description: 'Unmet certificate conditions' }) certificateReasons!: string[];
}

export class QuestionStatDto {
  @ApiProperty() questionId!: string;
  @ApiProperty() text!: string;
  @ApiProperty() preAnswered!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Share (0-100) of submitted pre-test attempts that got it right',
  })
  preCorrectPercent!: number | null;
  @ApiProperty() postAnswered!: number;
  @ApiProperty({ type: Number, nullable: true }) postCorrectPercent!: number | null;
}

export class AssessmentReportDto {
  @ApiProperty() courseId!: string;
  @ApiProperty() code!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: GainSummaryDto }) summary!: GainSummaryDto;
  @ApiProperty({ type: [GainGroupDto] }) bySector!: GainGroupDto[];
  @ApiProperty({ type: [GainGroupDto] }) byKecamatan!: GainGroupDto[];
  @ApiProperty({ type: [ParticipantScoreDto] }) participants!: ParticipantScoreDto[];
  @ApiProperty({ type: [QuestionStatDto] }) questions!: QuestionStatDto[];
}
