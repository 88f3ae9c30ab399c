import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post, Put, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '@balai/common';
import { TEST_KINDS, TestKind } from '@balai/domain/assessment';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiAuth, ErrorResponseDto } from '../common/api-docs';
import { ParseObjectIdPipe } from '../common/parse-object-id.pipe';
import { AssessmentSettingsService } from './assessment-settings.service';
import { CertificateRequirements } from './certificate-requirements.service';
import {
  AssessmentSettingsDto,
  AttemptViewDto,
  CertificateRequirementsDto,
  SaveAnswerDto,
  SavedAnswerDto,
  TestStatusDto,
  UpdateAssessmentSettingsDto,
} from './dto/test.dto';
import { TestKindPipe } from './test-kind.pipe';
import { TestsService } from './tests.service';

@ApiTags('assessments')
@Controller()
export class TestsController {
  constructor(
    private readonly tests: TestsService,
    private readonly settings: AssessmentSettingsService,
    private readonly requirements: CertificateRequirements,
  ) {}

  @Get('courses/:courseId/assessment-settings')
  @Roles('admin', 'trainer')
  @ApiOperation({
    summary: 'Pre/post-test settings and the certificate conditions on them. Admin, or a trainer of the course.',
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: AssessmentSettingsDto })
  getSettings(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.settings.get(user, courseId);
  }

  @Patch('courses/:courseId/assessment-settings')
  @Roles('admin', 'trainer')
  @ApiOperation({
    summary:
      'Change time limits, attempts, post-test days, the post-test minimum and whether the evaluation is required. Admin, or a trainer of the course.',
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: AssessmentSettingsDto })
  updateSettings(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseObjectIdPipe) courseId: string,
    @Body() dto: UpdateAssessmentSettingsDto,
  ) {
    return this.settings.update(user, courseId, dto);
  }

  @Post('courses/:courseId/tests/post/open')
  @HttpCode(HttpStatus.OK)
  @Roles('admin', 'trainer')
  @ApiOperation({
    summary: 'Open the post-test now (before the last session ends). Idempotent. Admin, or a trainer of the course.',
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: AssessmentSettingsDto })
  openPost(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.settings.openPost(user, courseId);
  }

  @Get('courses/:courseId/tests')
  @ApiOperation({
    summary:
      "Both tests: window, limits, and the caller's own attempts. Admin, the course's trainers, enrolled participants.",
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: [TestStatusDto] })
  status(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.tests.status(user, courseId);
  }

  @Post('courses/:courseId/tests/:kind/attempts')
  @Roles('participant')
  @ApiParam({ name: 'kind', enum: TEST_KINDS })
  @ApiOperation({
    summary:
      'Start an attempt (201), or resume the running one (200) at the first unanswered question with the time left. Enrolled participants.',
  })
  @ApiAuth(400, 404)
  @ApiCreatedResponse({ type: AttemptViewDto, description: 'A new attempt' })
  @ApiOkResponse({ type: AttemptViewDto, description: 'The running attempt, resumed' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'TEST_NOT_OPEN, TEST_CLOSED, TEST_DISABLED, NO_ATTEMPTS_LEFT, NO_QUESTIONS',
  })
  async start(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseObjectIdPipe) courseId: string,
    @Param('kind', TestKindPipe) kind: TestKind,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AttemptViewDto> {
    const { created, view } = await this.tests.start(user, courseId, kind);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return view;
  }

  @Get('attempts/:attemptId')
  @ApiOperation({
    summary:
      'An attempt with saved answers and time left; correct answers only once the test has closed. Its participant, or staff of the course.',
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: AttemptViewDto })
  get(@CurrentUser() user: AuthUser, @Param('attemptId', ParseObjectIdPipe) attemptId: string) {
    return this.tests.get(user, attemptId);
  }

  @Put('attempts/:attemptId/answers/:questionId')
  @Roles('participant')
  @ApiOperation({
    summary:
      'Save one answer as it is given (replaces the previous one). Refused after the server deadline. The attempt’s participant.',
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: SavedAnswerDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'TIME_UP, ATTEMPT_SUBMITTED' })
  saveAnswer(
    @CurrentUser() user: AuthUser,
    @Param('attemptId', ParseObjectIdPipe) attemptId: string,
    @Param('questionId', ParseObjectIdPipe) questionId: string,
    @Body() dto: SaveAnswerDto,
  ) {
    return this.tests.saveAnswer(user, attemptId, questionId, dto.optionIds);
  }

  @Post('attempts/:attemptId/submit')
  @HttpCode(HttpStatus.OK)
  @Roles('participant')
  @ApiOperation({
    summary:
      'Submit and score on the server. A second submit returns the same result. A late submit counts what was saved before the deadline.',
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: AttemptViewDto })
  submit(@CurrentUser() user: AuthUser, @Param('attemptId', ParseObjectIdPipe) attemptId: string) {
    return this.tests.submit(user, attemptId);
  }

  @Get('courses/:courseId/certificate-requirements/me')
  @Roles('participant')
  @ApiOperation({
    summary:
      "The caller's certificate conditions and what is still missing (attendance, post-test, evaluation). Enrolled participants.",
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: CertificateRequirementsDto })
  mine(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.requirements.mine(user, courseId);
  }
}
