import { Body, Controller, Get, Header, Param, Post, Put } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '@balai/common';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiAuth, ErrorResponseDto } from '../common/api-docs';
import { toCsv } from '../common/csv';
import { ParseObjectIdPipe } from '../common/parse-object-id.pipe';
import {
  EvaluationFormDto,
  EvaluationReceiptDto,
  EvaluationReportDto,
  SubmitEvaluationDto,
  UpdateEvaluationFormDto,
} from './dto/evaluation.dto';
import { EvaluationsService } from './evaluations.service';

@ApiTags('evaluations')
@Controller('courses/:courseId/evaluation')
export class EvaluationsController {
  constructor(private readonly evaluations: EvaluationsService) {}

  @Get()
  @ApiOperation({
    summary:
      'The evaluation form and whether the caller submitted. Admin, the course’s trainers, enrolled participants.',
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: EvaluationFormDto })
  form(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.evaluations.form(user, courseId);
  }

  @Put('form')
  @Roles('admin')
  @ApiOperation({
    summary: 'Replace the course’s form (from the default template). Refused once answers exist. Admin only.',
  })
  @ApiAuth(400, 404, 409)
  @ApiOkResponse({ type: EvaluationFormDto })
  updateForm(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseObjectIdPipe) courseId: string,
    @Body() dto: UpdateEvaluationFormDto,
  ) {
    return this.evaluations.updateForm(user, courseId, dto);
  }

  @Post('responses')
  @Roles('participant')
  @ApiOperation({
    summary:
      'Submit the evaluation once, anonymously (only the fact of submitting is linked to the participant). Enrolled participants, once the course has started.',
  })
  @ApiAuth(400, 404)
  @ApiCreatedResponse({ type: EvaluationReceiptDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'EVALUATION_ALREADY_SUBMITTED, EVALUATION_NOT_OPEN' })
  submit(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseObjectIdPipe) courseId: string,
    @Body() dto: SubmitEvaluationDto,
  ) {
    return this.evaluations.submit(user, courseId, dto);
  }

  @Get('report')
  @Roles('admin', 'trainer')
  @ApiOperation({
    summary:
      'Averages per item and category, rating distribution and comments; never who wrote what. Admin, or a trainer of the course.',
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: EvaluationReportDto })
  report(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.evaluations.report(user, courseId);
  }

  @Get('report/csv')
  @Roles('admin', 'trainer')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="evaluasi.csv"')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'Item averages then the comments, as CSV. Admin, or a trainer of the course.' })
  @ApiAuth(400, 404)
  @ApiOkResponse({ description: 'CSV (UTF-8 with BOM)' })
  async csv(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string): Promise<string> {
    const r = await this.evaluations.report(user, courseId);
    return toCsv(
      ['kind', 'item_id', 'category', 'text', 'count', 'average', 'n1', 'n2', 'n3', 'n4', 'n5'],
      [
        ...r.items.map((i) => ['item', i.id, i.category, i.text, i.count, i.average, ...i.distribution]),
        ...r.comments.map((c) => ['comment', '', '', c, '', '', '', '', '', '', '']),
      ],
    );
  }
}
