import { Body, Controller, Get, Header, HttpCode, HttpStatus, Param, Post, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '@balai/common';
import { INTERNAL_TOKEN_HEADER } from '@balai/domain';
import { CurrentUser, Public, Roles } from '../auth/auth.decorators';
import { ApiAuth, ApiCsvResponse, ApiErrors } from '../common/api-docs';
import { toCsv } from '../common/csv';
import { ParseObjectIdPipe } from '../common/parse-object-id.pipe';
import { AttendanceService } from './attendance.service';
import {
  AttendanceBatchResultDto,
  AttendanceEventBatchDto,
  AttendanceEventDto,
  AttendanceEventResultDto,
  CourseAttendanceDto,
  SessionAttendanceDto,
} from './dto/attendance.dto';
import { InternalTokenGuard } from './internal-token.guard';

@ApiTags('attendance')
@Controller()
export class AttendanceController {
  constructor(private readonly attendance: AttendanceService) {}

  @Post('internal/attendance/events')
  @Public()
  @UseGuards(InternalTokenGuard)
  @HttpCode(HttpStatus.OK)
  @ApiHeader({ name: INTERNAL_TOKEN_HEADER, required: true, description: 'INTERNAL_API_TOKEN' })
  @ApiOperation({
    summary: 'Live service reports a join/leave. Idempotent by eventId; retried until 2xx. Internal token only.',
  })
  @ApiErrors(400, 401, 404)
  @ApiOkResponse({ type: AttendanceEventResultDto })
  record(@Body() event: AttendanceEventDto) {
    return this.attendance.record(event);
  }

  @Post('internal/attendance/events/batch')
  @Public()
  @UseGuards(InternalTokenGuard)
  @HttpCode(HttpStatus.OK)
  @ApiHeader({ name: INTERNAL_TOKEN_HEADER, required: true, description: 'INTERNAL_API_TOKEN' })
  @ApiOperation({
    summary:
      'Live service reports joins/leaves in a batch. One result per event, in order; `retry` ones are sent again. ' +
      'Idempotent by eventId. Internal token only.',
  })
  @ApiErrors(400, 401)
  @ApiOkResponse({ type: AttendanceBatchResultDto })
  recordBatch(@Body() batch: AttendanceEventBatchDto) {
    return this.attendance.recordBatch(batch.events);
  }

  @Get('sessions/:id/attendance')
  @Roles('admin', 'trainer')
  @ApiOperation({ summary: 'Attended minutes per participant for one session. Admin, or a trainer of the course.' })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: SessionAttendanceDto })
  session(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string) {
    return this.attendance.forSession(user, id);
  }

  @Get('sessions/:id/attendance.csv')
  @Roles('admin', 'trainer')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiCsvResponse()
  @ApiOperation({ summary: 'The same as CSV. Admin, or a trainer of the course.' })
  @ApiAuth(400, 404)
  async sessionCsv(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string): Promise<string> {
    const data = await this.attendance.forSession(user, id);
    return toCsv(
      [
        'user_id',
        'name',
        'business_name',
        'enrollment_status',
        'first_join_utc',
        'last_leave_utc',
        'attended_minutes',
        'scheduled_minutes',
        'percent',
        'connections',
      ],
      data.rows.map((r) => [
        r.userId,
        r.name,
        r.businessName,
        r.enrollmentStatus,
        r.firstJoinAt,
        r.lastLeaveAt,
        r.attendedMinutes,
        r.scheduledMinutes,
        r.percent,
        r.connections,
      ]),
    );
  }

  @Get('courses/:courseId/attendance')
  @Roles('admin', 'trainer')
  @ApiOperation({
    summary: 'Attendance percentage over the course per enrolled participant. Admin, or a trainer of the course.',
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: CourseAttendanceDto })
  course(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.attendance.forCourse(user, courseId);
  }

  @Get('courses/:courseId/attendance/me')
  @Roles('participant')
  @ApiOperation({ summary: 'Your own attendance percentage in a course you are enrolled in. Participant, self only.' })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: CourseAttendanceDto })
  mine(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.attendance.mine(user, courseId);
  }
}
