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
import { ApiAuth } from '../common/api-docs';
import { ParseObjectIdPipe } from '../common/parse-object-id.pipe';
import {
  CreateQuestionDto,
  FileFormatQueryDto,
  ImportResultDto,
  QuestionFileDto,
  QuestionResponseDto,
  UpdateQuestionDto,
} from './dto/question.dto';
import { QuestionBankService, UploadedSheet } from './question-bank.service';

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
