import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
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
import { QUESTION_TYPES, QuestionType } from '@balai/domain/assessment';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class QuestionOptionInputDto {
  @ApiPropertyOptional({
    description: 'Keep an existing option id when editing; new options get one',
    pattern: '^[A-Za-z0-9_-]{1,32}$',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/)
  id?: string;
  @ApiProperty({ minLength: 1, maxLength: 1000 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  text!: string;
  @ApiProperty() @IsBoolean() correct!: boolean;
}

export class CreateQuestionDto {
  @ApiProperty({
    enum: QUESTION_TYPES,
    description: 'single: one correct option; multiple: all-or-nothing on the correct set; truefalse: two options',
  })
  @IsIn(QUESTION_TYPES as unknown as string[])
  type!: QuestionType;
  @ApiProperty({ minLength: 3, maxLength: 2000 })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  text!: string;
  @ApiPropertyOptional({
    maxLength: 1000,
    description:
      'https URL, a /api/materials/<id>/download path, or a /api/question-images/<id> path (upload with POST .../image)',
    pattern: '^(https://\\S+|/api/materials/[0-9a-f]{24}/download|/api/question-images/[0-9a-f]{24})$',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Matches(/^(https:\/\/\S+|\/api\/materials\/[0-9a-f]{24}\/download|\/api\/question-images\/[0-9a-f]{24})$/, {
    message: 'imageUrl harus URL https atau tautan materi / imageUrl must be an https URL or a material link',
  })
  imageUrl?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  points?: number;
  @ApiProperty({ type: [QuestionOptionInputDto], minItems: 2, maxItems: 10 })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => QuestionOptionInputDto)
  options!: QuestionOptionInputDto[];
  @ApiPropertyOptional({ minimum: 0, maximum: 10000, description: 'Order in the bank (default: last)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  position?: number;
}

export class UpdateQuestionDto extends PartialType(CreateQuestionDto) {}

export class QuestionOptionDto {
  @ApiProperty() id!: string;
  @ApiProperty() text!: string;
  @ApiProperty() correct!: boolean;
}

export class QuestionResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() courseId!: string;
  @ApiProperty({ enum: QUESTION_TYPES }) type!: QuestionType;
  @ApiProperty() text!: string;
  @ApiPropertyOptional() imageUrl?: string;
  @ApiProperty() points!: number;
  @ApiProperty() position!: number;
  @ApiProperty({ type: [QuestionOptionDto] }) options!: QuestionOptionDto[];
}

export class ImportResultDto {
  @ApiProperty({ description: 'Questions added' }) imported!: number;
  @ApiProperty({ description: 'Questions in the bank afterwards' }) total!: number;
}

export class QuestionImageFileDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'PNG, JPEG or WebP (checked by content), up to 2 MB' })
  file!: unknown;
}

export class QuestionFileDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'CSV (UTF-8) or XLSX in the template layout' })
  file!: unknown;
}

export const FILE_FORMATS = ['csv', 'xlsx'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export class FileFormatQueryDto {
  @ApiPropertyOptional({ enum: FILE_FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(FILE_FORMATS as unknown as string[])
  format?: FileFormat;
}
