import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '@balai/common';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiAuth } from '../common/api-docs';
import { ParseObjectIdPipe } from '../common/parse-object-id.pipe';
import { AdminEnrolDto, EnrollmentResponseDto, MyEnrollmentDto, RosterDto } from './dto/enrollment.dto';
import { EnrollmentsService } from './enrollments.service';

@ApiTags('enrollments')
@Controller()
export class EnrollmentsController {
  constructor(private readonly enrollments: EnrollmentsService) {}

  @Post('courses/:courseId/enrollments')
  @Roles('participant')
  @ApiOperation({
    summary: 'Enrol yourself (participant). Enrolled while seats last, then waitlisted in request order.',
  })
  @ApiAuth(400, 404, 409)
  @ApiCreatedResponse({ type: EnrollmentResponseDto })
  enrol(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.enrollments.enrolSelf(user, courseId);
  }

  @Get('courses/:courseId/enrollments/me')
  @Roles('participant')
  @ApiOperation({ summary: 'Your own enrolment in a course, with waitlist position. Participant, self only.' })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: EnrollmentResponseDto })
  mineForCourse(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.enrollments.mineForCourse(user, courseId);
  }

  @Delete('courses/:courseId/enrollments/me')
  @Roles('participant')
  @ApiOperation({
    summary: 'Cancel your enrolment; your seat goes to the first on the waitlist. Participant, self only.',
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: EnrollmentResponseDto })
  cancel(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.enrollments.cancelSelf(user, courseId);
  }

  @Get('me/enrollments')
  @Roles('participant')
  @ApiOperation({ summary: 'Your enrolments. Participant, self only.' })
  @ApiAuth()
  @ApiOkResponse({ type: [MyEnrollmentDto] })
  mine(@CurrentUser() user: AuthUser) {
    return this.enrollments.mine(user);
  }

  @Post('courses/:courseId/roster')
  @Roles('admin')
  @ApiOperation({ summary: 'Enrol a participant (any window; capacity and waitlist still apply). Admin only.' })
  @ApiAuth(400, 404, 409)
  @ApiCreatedResponse({ type: EnrollmentResponseDto })
  adminEnrol(@Param('courseId', ParseObjectIdPipe) courseId: string, @Body() dto: AdminEnrolDto) {
    return this.enrollments.enrolByAdmin(courseId, dto.userId);
  }

  @Delete('courses/:courseId/roster/:userId')
  @Roles('admin')
  @ApiOperation({ summary: 'Remove a participant; a freed seat promotes the waitlist. Admin only.' })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: EnrollmentResponseDto })
  adminRemove(
    @Param('courseId', ParseObjectIdPipe) courseId: string,
    @Param('userId', ParseObjectIdPipe) userId: string,
  ) {
    return this.enrollments.removeByAdmin(courseId, userId);
  }

  @Get('courses/:courseId/roster')
  @Roles('admin', 'trainer')
  @ApiOperation({ summary: 'Enrolled participants and the waitlist in order. Admin, or a trainer of this course.' })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: RosterDto })
  roster(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.enrollments.roster(user, courseId);
  }
}
