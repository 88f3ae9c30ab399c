import {
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '@balai/common';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiAuth, ApiFileResponse } from '../common/api-docs';
import { ParseObjectIdPipe } from '../common/parse-object-id.pipe';
import { MaterialResponseDto, UploadMaterialDto } from './dto/material.dto';
import { MaterialsService, UploadedFileLike } from './materials.service';
import { CONTENT_TYPES } from './file-type';

@ApiTags('materials')
@Controller()
export class MaterialsController {
  constructor(private readonly materials: MaterialsService) {}

  @Post('courses/:courseId/materials')
  @Roles('admin', 'trainer')
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadMaterialDto })
  @ApiOperation({ summary: 'Upload a course file (GridFS). Admin, or a trainer of the course.' })
  @ApiAuth(400, 404, 413, 415)
  @ApiCreatedResponse({ type: MaterialResponseDto })
  upload(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseObjectIdPipe) courseId: string,
    @UploadedFile() file?: UploadedFileLike,
  ) {
    return this.materials.upload(user, courseId, file);
  }

  @Get('courses/:courseId/materials')
  @ApiOperation({ summary: 'Files of a course. Admin, its trainers, its enrolled participants.' })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: [MaterialResponseDto] })
  list(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.materials.list(user, courseId);
  }

  @Get('materials/:id/download')
  @ApiFileResponse(Object.values(CONTENT_TYPES), 'The file as uploaded, with its own content type (attachment)')
  @ApiOperation({ summary: 'Download a file. Admin, the course trainers, its enrolled participants.' })
  @ApiAuth(400, 404)
  async download(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const { material, stream } = await this.materials.download(user, id);
    res.setHeader('Content-Type', material.contentType);
    res.setHeader('Content-Length', String(material.size));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${material.filename.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(material.filename)}`,
    );
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  @Delete('materials/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Roles('admin', 'trainer')
  @ApiOperation({ summary: 'Delete a file. Admin, or a trainer of the course.' })
  @ApiAuth(400, 404)
  @ApiNoContentResponse()
  async remove(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string): Promise<void> {
    await this.materials.remove(user, id);
  }
}
