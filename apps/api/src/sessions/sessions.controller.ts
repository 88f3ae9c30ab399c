import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '@balai/common';
import { CurrentUser, Public, Roles } from '../auth/auth.decorators';
import { ApiAuth, ApiErrors } from '../common/api-docs';
import { ParseObjectIdPipe } from '../common/parse-object-id.pipe';
import { CancelSessionDto, CreateSessionDto, SessionResponseDto, UpdateSessionDto } from './dto/session.dto';
import { SessionsService } from './sessions.service';

@ApiTags('sessions')
@Controller()
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get('catalogue/:courseId/sessions')
  @Public()
  @ApiOperation({ summary: 'Scheduled sessions of a published/ongoing course. Public.' })
  @ApiErrors(400, 404)
  @ApiOkResponse({ type: [SessionResponseDto] })
  listPublic(@Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.sessions.listPublic(courseId);
  }

  @Post('courses/:courseId/sessions')
  @Roles('admin')
  @ApiOperation({
    summary: 'Add a session (instants with offset; stored UTC). A trainer cannot be double-booked (409). Admin only.',
  })
  @ApiAuth(400, 404, 409)
  @ApiCreatedResponse({ type: SessionResponseDto })
  create(@Param('courseId', ParseObjectIdPipe) courseId: string, @Body() dto: CreateSessionDto) {
    return this.sessions.create(courseId, dto);
  }

  @Get('courses/:courseId/sessions')
  @ApiOperation({
    summary:
      'All sessions of a course. Admin, its trainers, its participants; any signed-in user for published/ongoing courses.',
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: [SessionResponseDto] })
  list(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.sessions.listForMember(user, courseId);
  }

  @Get('sessions/:id')
  @ApiOperation({ summary: 'One session. Admin, the course trainers, its enrolled/waitlisted participants.' })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: SessionResponseDto })
  get(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string) {
    return this.sessions.get(user, id);
  }

  @Patch('sessions/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Edit or reschedule; moves reminders and notifies enrolled participants. Admin only.' })
  @ApiAuth(400, 404, 409)
  @ApiOkResponse({ type: SessionResponseDto })
  update(@Param('id', ParseObjectIdPipe) id: string, @Body() dto: UpdateSessionDto) {
    return this.sessions.update(id, dto);
  }

  @Post('sessions/:id/cancel')
  @HttpCode(HttpStatus.OK)
  @Roles('admin')
  @ApiOperation({ summary: 'Cancel a session; removes reminders and notifies enrolled participants. Admin only.' })
  @ApiAuth(400, 404, 409)
  @ApiOkResponse({ type: SessionResponseDto })
  cancel(@Param('id', ParseObjectIdPipe) id: string, @Body() dto: CancelSessionDto) {
    return this.sessions.cancel(id, dto);
  }
}
