import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { ApiAuth, ApiCsvResponse } from '../common/api-docs';
import { toCsv } from '../common/csv';
import { ParseObjectIdPipe } from '../common/parse-object-id.pipe';
import {
  CourseReportDto,
  CourseSummaryDto,
  ParticipationQueryDto,
  ParticipationReportDto,
  ReportQueryDto,
} from './dto/report.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@Roles('admin')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('courses')
  @ApiOperation({
    summary: 'Per-course summary: enrolled, attended at least once, met the threshold, certified. Admin only.',
  })
  @ApiAuth(400)
  @ApiOkResponse({ type: [CourseSummaryDto] })
  courses(@Query() query: ReportQueryDto) {
    return this.reports.courseSummaries(query);
  }

  @Get('courses.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiCsvResponse()
  @ApiOperation({ summary: 'The per-course summary as CSV. Admin only.' })
  @ApiAuth(400)
  async coursesCsv(@Query() query: ReportQueryDto): Promise<string> {
    const rows = await this.reports.courseSummaries(query);
    return toCsv(
      [
        'course_id',
        'code',
        'title',
        'type',
        'status',
        'starts_at_utc',
        'capacity',
        'enrolled',
        'waitlisted',
        'attended_at_least_once',
        'met_threshold',
        'certified',
        'min_attendance_percent',
      ],
      rows.map((r) => [
        r.courseId,
        r.code,
        r.title,
        r.type,
        r.status,
        r.startsAt,
        r.capacity,
        r.enrolled,
        r.waitlisted,
        r.attendedAtLeastOnce,
        r.metThreshold,
        r.certified,
        r.minAttendancePercent,
      ]),
    );
  }

  @Get('participation')
  @ApiOperation({
    summary:
      'Across courses, by business sector or kecamatan: people columns count each person once per row, enrolment columns each enrolment. Admin only.',
  })
  @ApiAuth(400)
  @ApiOkResponse({ type: ParticipationReportDto })
  participation(@Query() query: ParticipationQueryDto) {
    return this.reports.participation(query);
  }

  @Get('participation.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiCsvResponse()
  @ApiOperation({ summary: 'The participation report as CSV. Admin only.' })
  @ApiAuth(400)
  async participationCsv(@Query() query: ParticipationQueryDto): Promise<string> {
    const report = await this.reports.participation(query);
    return toCsv(
      [
        query.groupBy,
        'label',
        'participants',
        'enrollments',
        'attended_at_least_once',
        'met_threshold',
        'certified',
        'enrollments_attended',
        'enrollments_met_threshold',
        'enrollments_certified',
      ],
      report.rows.map((r) => [
        r.group,
        r.label,
        r.participants,
        r.enrollments,
        r.attendedAtLeastOnce,
        r.metThreshold,
        r.certified,
        r.enrollmentsAttended,
        r.enrollmentsMetThreshold,
        r.enrollmentsCertified,
      ]),
    );
  }

  @Get('courses/:courseId')
  @ApiOperation({ summary: 'One course with a row per enrolled participant. Admin only.' })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: CourseReportDto })
  course(@Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.reports.course(courseId);
  }

  @Get('courses/:courseId/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiCsvResponse()
  @ApiOperation({ summary: 'One course report as CSV. Admin only.' })
  @ApiAuth(400, 404)
  async courseCsv(@Param('courseId', ParseObjectIdPipe) courseId: string): Promise<string> {
    const report = await this.reports.course(courseId);
    return toCsv(
      [
        'user_id',
        'name',
        'business_name',
        'sector',
        'kecamatan',
        'attendance_percent',
        'attended_at_least_once',
        'met_threshold',
        'certified',
        'certificate_number',
      ],
      report.participants.map((p) => [
        p.userId,
        p.name,
        p.businessName,
        p.sector,
        p.kecamatan,
        p.attendancePercent,
        p.attendedAtLeastOnce,
        p.metThreshold,
        p.certified,
        p.certificateNumber,
      ]),
    );
  }
}
