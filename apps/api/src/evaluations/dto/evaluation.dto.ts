import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { EVALUATION_CATEGORIES, EvaluationCategory } from '@balai/domain/assessment';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class EvaluationItemDto {
  @ApiProperty({ pattern: '^[a-z0-9-]{1,64}$' }) @IsString() @Matches(/^[a-z0-9-]{1,64}$/) id!: string;
  @ApiProperty({ enum: EVALUATION_CATEGORIES })
  @IsIn(EVALUATION_CATEGORIES as unknown as string[])
  category!: EvaluationCategory;
  @ApiProperty({ minLength: 3, maxLength: 500 })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  text!: string;
}

export class UpdateEvaluationFormDto {
  @ApiProperty({ type: [EvaluationItemDto], minItems: 1, maxItems: 40 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(40)
  @ValidateNested({ each: true })
  @Type(() => EvaluationItemDto)
  items!: EvaluationItemDto[];
}

export class EvaluationFormDto {
  @ApiProperty() courseId!: string;
  @ApiProperty({ description: 'The default template (the course has not edited it)' }) isDefault!: boolean;
  @ApiProperty({ type: [EvaluationItemDto], description: 'Likert items, each rated 1-5' }) items!: EvaluationItemDto[];
  @ApiProperty({ description: 'Participants: whether the caller has submitted' }) submitted!: boolean;
  @ApiProperty({ description: 'Responses so far (staff)' }) responses!: number;
}

export class RatingInputDto {
  @ApiProperty() @IsString() @Matches(/^[a-z0-9-]{1,64}$/) itemId!: string;
  @ApiProperty({ minimum: 1, maximum: 5 }) @IsInt() @Min(1) @Max(5) value!: number;
}

export class SubmitEvaluationDto {
  @ApiProperty({ type: [RatingInputDto], description: 'Exactly one rating per item of the form' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(40)
  @ValidateNested({ each: true })
  @Type(() => RatingInputDto)
  ratings!: RatingInputDto[];
  @ApiPropertyOptional({ maxLength: 2000, description: 'Free text (saran dan masukan)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class EvaluationReceiptDto {
  @ApiProperty() courseId!: string;
  @ApiProperty() submitted!: boolean;
}

export class ItemAverageDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: EVALUATION_CATEGORIES }) category!: EvaluationCategory;
  @ApiProperty() text!: string;
  @ApiProperty() count!: number;
  @ApiProperty({ type: Number, nullable: true }) average!: number | null;
  @ApiProperty({ type: [Number], description: 'How many rated 1, 2, 3, 4, 5' }) distribution!: number[];
}

export class CategoryAverageDto {
  @ApiProperty({ enum: EVALUATION_CATEGORIES }) category!: EvaluationCategory;
  @ApiProperty({ type: Number, nullable: true }) average!: number | null;
}

export class EvaluationReportDto {
  @ApiProperty() courseId!: string;
  @ApiProperty() responses!: number;
  @ApiProperty() enrolled!: number;
  @ApiProperty({ description: 'Responses needed before averages and comments are shown (anonymity)' })
  minResponses!: number;
  @ApiProperty({
    description: 'True while responses < minResponses: averages are null, distributions zero, comments empty',
  })
  withheld!: boolean;
  @ApiProperty({ type: [ItemAverageDto] }) items!: ItemAverageDto[];
  @ApiProperty({ type: [CategoryAverageDto] }) categories!: CategoryAverageDto[];
  @ApiProperty({ type: [String], description: 'Comments in no meaningful order, never with who wrote them' })
  comments!: string[];
}
