import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import {
  POLL_MAX_OPTIONS,
  POLL_MIN_OPTIONS,
  POLL_OPTION_MAX_LENGTH,
  POLL_QUESTION_MAX_LENGTH,
} from '@balai/live-contract/interaction';
import { ApiDateTime, ApiNullableDateTime } from '../../common/dto/openapi-fields';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimAll = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? (value as unknown[]).map((v) => (typeof v === 'string' ? v.trim() : v)) : value;
const nullable = (o: ApiPropertyOptions) => ApiProperty({ ...o, nullable: true } as ApiPropertyOptions);

/** A poll prepared on the course page before the session (launched from the live room). */
export class CreatePollDto {
  @ApiProperty({ minLength: 1, maxLength: POLL_QUESTION_MAX_LENGTH, example: 'Sudah paham cara mengurus PIRT?' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(POLL_QUESTION_MAX_LENGTH)
  question!: string;

  @ApiProperty({
    type: [String],
    minItems: POLL_MIN_OPTIONS,
    maxItems: POLL_MAX_OPTIONS,
    example: ['Sudah', 'Belum', 'Sebagian'],
    description: `${POLL_MIN_OPTIONS}-${POLL_MAX_OPTIONS} options, each 1-${POLL_OPTION_MAX_LENGTH} characters`,
  })
  @Transform(trimAll)
  @IsArray()
  @ArrayMinSize(POLL_MIN_OPTIONS)
  @ArrayMaxSize(POLL_MAX_OPTIONS)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(POLL_OPTION_MAX_LENGTH, { each: true })
  options!: string[];

  @ApiProperty({ required: false, default: false, description: 'Voters may choose several options' })
  @IsOptional()
  @IsBoolean()
  multiple?: boolean;

  @ApiProperty({ required: false, default: true, description: 'Voters may change their vote until the poll closes' })
  @IsOptional()
  @IsBoolean()
  allowChange?: boolean;
}

export class PollDto {
  @ApiProperty() id!: string;
  @ApiProperty() question!: string;
  @ApiProperty({ type: [String] }) options!: string[];
  @ApiProperty() multiple!: boolean;
  @ApiProperty() allowChange!: boolean;
  @ApiProperty({ enum: ['prepared', 'open', 'closed'] }) status!: 'prepared' | 'open' | 'closed';
  @ApiProperty({ description: 'The host showed the results to everyone' }) revealed!: boolean;
  @nullable({ type: [Number], description: 'Votes per option (same order as options); null while hidden from you' })
  counts!: number[] | null;
  @nullable({ type: Number, description: 'People who voted; null while hidden from you' })
  voters!: number | null;
  @ApiNullableDateTime() openedAt!: string | null;
  @ApiNullableDateTime() closedAt!: string | null;
}

export class SessionQuestionDto {
  @ApiProperty() id!: string;
  @ApiProperty() text!: string;
  @ApiProperty() anonymous!: boolean;
  @nullable({ type: String, description: 'null for an anonymous question when you are a participant' })
  authorName!: string | null;
  @ApiProperty({ enum: ['open', 'answered', 'dismissed'] }) status!: 'open' | 'answered' | 'dismissed';
  @nullable({ type: String, description: 'The typed answer; null when answered live or not answered' })
  answer!: string | null;
  @ApiProperty({ minimum: 0 }) upvotes!: number;
  @ApiProperty() pinned!: boolean;
  @ApiDateTime() askedAt!: string;
}

export class SessionInteractionDto {
  @ApiProperty() sessionId!: string;
  @ApiProperty() courseId!: string;
  @ApiProperty({ type: [SessionQuestionDto], description: 'Sorted by upvotes, then time' })
  questions!: SessionQuestionDto[];
  @ApiProperty({ type: [PollDto], description: 'Polls launched in the session, newest first' })
  polls!: PollDto[];
}
