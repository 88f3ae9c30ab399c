import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '@balai/common';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiAuth } from '../common/api-docs';
import { toCsv } from '../common/csv';
import { ParseObjectIdPipe } from '../common/parse-object-id.pipe';
import { AssessmentReportService } from './assessment-report.service';
import { AssessmentReportDto } from './dto/report.dto';

@ApiTags('assessments')
@Roles('admin', 'trainer')
@Controller('courses/:courseId/assessment-report')
export class AssessmentReportsController {
  constructor(private readonly reports: AssessmentReportService) {}

  @Get()
  @ApiOperation({
    summary:
      'Pre/post scores, gain and normalised gain (course, sector, kecamatan), per-question correct rate, certificate reasons. Admin, or a trainer of the course.',
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: AssessmentReportDto })
  report(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.reports.report(user, courseId);
  }

  @Get('csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="nilai-pre-post.csv"')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary:
      'One row per participant: pre, post, gain, normalised gain, attendance, evaluation submitted, certificate reasons. Admin, or a trainer of the course.',
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ description: 'CSV (UTF-8 with BOM)' })
  async csv(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string): Promise<string> {
    const r = await this.reports.report(user, courseId);
    return toCsv(
      [
        'user_id',
        'name',
        'business_name',
        'sector',
        'kecamatan',
        'pre_percent',
        'post_percent',
        'gain',
        'normalized_gain',
        'attendance_percent',
        'evaluation_submitted',
        'certificate_eligible',
        'certificate_reasons',
      ],
      r.participants.map((p) => [
        p.userId,
        p.name,
        p.businessName,
        p.sector,
        p.kecamatan,
        p.prePercent,
        p.postPercent,
        p.gain,
        p.normalizedGain,
        p.attendancePercent,
        p.evaluationSubmitted,
        p.certificateEligible,
        p.certificateReasons.join(' '),
      ]),
    );
  }
}
