import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
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
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '@balai/common';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiAuth, ApiFileResponse } from '../common/api-docs';
import { ParseObjectIdPipe } from '../common/parse-object-id.pipe';
import {
  CreateQuestionDto,
  FileFormatQueryDto,
  ImportResultDto,
  QuestionFileDto,
  QuestionImageFileDto,
  QuestionResponseDto,
  UpdateQuestionDto,
} from './dto/question.dto';
import { QuestionBankService, UploadedSheet } from './question-bank.service';
import { QUESTION_IMAGE_TYPES } from './question-image.store';

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function sendFile(res: Response, file: { body: string | Buffer; filename: string }, format: 'csv' | 'xlsx'): void {
  res.setHeader('Content-Type', CONTENT_TYPES[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${file.filename.replace(/[^\x20-\x7e]/g, '_')}"`);
  res.send(file.body);
}

@ApiTags('assessments')
@Roles('admin', 'trainer')
@Controller()
export class QuestionsController {
  constructor(private readonly bank: QuestionBankService) {}

  @Get('assessments/question-template')
  @ApiProduces(CONTENT_TYPES.csv, CONTENT_TYPES.xlsx)
  @ApiOperation({
    summary: 'The import template (CSV or XLSX) with example questions of each type. Admins and trainers.',
  })
  @ApiAuth(400)
  @ApiOkResponse({ description: 'The template file' })
  async template(@Query() query: FileFormatQueryDto, @Res() res: Response): Promise<void> {
    const format = query.format ?? 'csv';
    sendFile(res, await this.bank.template(format), format);
  }

  @Get('courses/:courseId/questions')
  @ApiOperation({ summary: "The course's question bank, with correct answers. Admin, or a trainer of the course." })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: [QuestionResponseDto] })
  list(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.bank.list(user, courseId);
  }

  @Post('courses/:courseId/questions')
  @ApiOperation({ summary: 'Add a question (single, multiple, truefalse). Admin, or a trainer of the course.' })
  @ApiAuth(400, 404)
  @ApiCreatedResponse({ type: QuestionResponseDto })
  create(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseObjectIdPipe) courseId: string,
    @Body() dto: CreateQuestionDto,
  ) {
    return this.bank.create(user, courseId, dto);
  }

  @Patch('courses/:courseId/questions/:questionId')
  @ApiOperation({
    summary: 'Edit a question. Running attempts keep the version they started with. Admin, or a trainer of the course.',
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: QuestionResponseDto })
  update(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseObjectIdPipe) courseId: string,
    @Param('questionId', ParseObjectIdPipe) questionId: string,
    @Body() dto: UpdateQuestionDto,
  ) {
    return this.bank.update(user, courseId, questionId, dto);
  }

  @Delete('courses/:courseId/questions/:questionId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a question. Admin, or a trainer of the course.' })
  @ApiAuth(400, 404)
  @ApiNoContentResponse()
  async remove(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseObjectIdPipe) courseId: string,
    @Param('questionId', ParseObjectIdPipe) questionId: string,
  ) {
    await this.bank.remove(user, courseId, questionId);
  }

  @Post('courses/:courseId/questions/:questionId/image')
  @HttpCode(HttpStatus.OK)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: QuestionImageFileDto })
  @ApiOperation({
    summary:
      'Upload the question’s image (PNG, JPEG or WebP, checked by its bytes; 2 MB at most); replaces any image or URL. Admin, or a trainer of the course.',
  })
  @ApiAuth(400, 404, 413, 415)
  @ApiOkResponse({ type: QuestionResponseDto })
  uploadImage(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseObjectIdPipe) courseId: string,
    @Param('questionId', ParseObjectIdPipe) questionId: string,
    @UploadedFile() file?: UploadedSheet,
  ) {
    return this.bank.setImage(user, courseId, questionId, file);
  }

  @Delete('courses/:courseId/questions/:questionId/image')
  @ApiOperation({ summary: 'Remove the question’s image. Admin, or a trainer of the course.' })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: QuestionResponseDto })
  clearImage(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseObjectIdPipe) courseId: string,
    @Param('questionId', ParseObjectIdPipe) questionId: string,
  ) {
    return this.bank.clearImage(user, courseId, questionId);
  }

  @Get('courses/:courseId/questions/export')
  @ApiProduces(CONTENT_TYPES.csv, CONTENT_TYPES.xlsx)
  @ApiOperation({ summary: 'The question bank as CSV or XLSX (template layout). Admin, or a trainer of the course.' })
  @ApiAuth(400, 404)
  @ApiOkResponse({ description: 'The file' })
  async export(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseObjectIdPipe) courseId: string,
    @Query() query: FileFormatQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const format = query.format ?? 'csv';
    sendFile(res, await this.bank.export(user, courseId, format), format);
  }

  @Post('courses/:courseId/questions/import')
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: QuestionFileDto })
  @ApiOperation({
    summary:
      'Add questions from a CSV or XLSX file; all or nothing (every bad row listed in details). Admin, or a trainer of the course.',
  })
  @ApiAuth(400, 404, 413, 415)
  @ApiCreatedResponse({ type: ImportResultDto })
  import(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseObjectIdPipe) courseId: string,
    @UploadedFile() file?: UploadedSheet,
  ) {
    return this.bank.import(user, courseId, file);
  }
}

/** Uploaded question images, for everyone who may see the course's tests. */
@ApiTags('assessments')
@Controller('question-images')
export class QuestionImagesController {
  constructor(private readonly bank: QuestionBankService) {}

  @Get(':imageId')
  @ApiFileResponse(Object.values(QUESTION_IMAGE_TYPES), 'The image, with its own content type')
  @ApiOperation({
    summary: 'A question image. Admin, the course’s trainers, its enrolled participants.',
  })
  @ApiAuth(400, 404)
  async image(
    @CurrentUser() user: AuthUser,
    @Param('imageId', ParseObjectIdPipe) imageId: string,
    @Res() res: Response,
  ): Promise<void> {
    const { image, stream } = await this.bank.openImage(user, imageId);
    res.setHeader('Content-Type', image.contentType);
    res.setHeader('Content-Length', String(image.length));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // The bytes behind an id never change.
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }
}
