import { ApiProperty } from '@nestjs/swagger';
import { MATERIAL_KINDS } from '@balai/database';
import { ApiDateTime } from '../../common/dto/openapi-fields';

export class MaterialResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() courseId!: string;
  @ApiProperty() filename!: string;
  @ApiProperty({ enum: MATERIAL_KINDS }) kind!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty() size!: number;
  @ApiProperty() sha256!: string;
  @ApiProperty() uploadedBy!: string;
  @ApiDateTime() createdAt!: string;
}

export class UploadMaterialDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'PDF, PPTX, DOCX, PNG or JPEG; checked by content; at most UPLOAD_MAX_BYTES',
  })
  file!: unknown;
}
