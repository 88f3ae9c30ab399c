import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '@balai/common';
import { CurrentUser, Public, Roles } from '../auth/auth.decorators';
import { ApiAuth, ApiErrors } from '../common/api-docs';
import { ParseObjectIdPipe } from '../common/parse-object-id.pipe';
import { CoursesService } from './courses.service';
import {
  ChangeStatusDto,
  CoursePageDto,
  CourseQueryDto,
  CourseResponseDto,
  CreateCourseDto,
  UpdateCourseDto,
} from './dto/course.dto';

@ApiTags('courses')
@Controller()
export class CoursesController {
  constructor(private readonly courses: CoursesService) {}

  @Get('catalogue')
  @Public()
  @ApiOperation({ summary: 'Public catalogue: published and ongoing courses, newest first. Public.' })
  @ApiErrors(400)
  @ApiOkResponse({ type: CoursePageDto })
  catalogue(@Query() query: CourseQueryDto) {
    return this.courses.catalogue(query);
  }

  @Get('catalogue/:id')
  @Public()
  @ApiOperation({ summary: 'A published or ongoing course. Public.' })
  @ApiErrors(400, 404)
  @ApiOkResponse({ type: CourseResponseDto })
  publicDetail(@Param('id', ParseObjectIdPipe) id: string) {
    return this.courses.publicDetail(id);
  }

  @Post('courses')
  @Roles('admin')
  @ApiOperation({ summary: 'Create a course (as draft). Admin only.' })
  @ApiAuth(400, 409)
  @ApiCreatedResponse({ type: CourseResponseDto })
  create(@Body() dto: CreateCourseDto) {
    return this.courses.create(dto);
  }

  @Get('courses')
  @Roles('admin', 'trainer')
  @ApiOperation({ summary: 'Courses with filters and pagination. Admin: all; trainer: only courses they teach.' })
  @ApiAuth(400)
  @ApiOkResponse({ type: CoursePageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: CourseQueryDto) {
    return this.courses.list(user, query);
  }

  @Get('courses/:id')
  @ApiOperation({
    summary:
      'A course. Admin; its trainers; enrolled/waitlisted participants; anyone signed in if it is published or ongoing.',
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: CourseResponseDto })
  detail(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string) {
    return this.courses.detail(user, id);
  }

  @Patch('courses/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Edit a course; raising capacity promotes the waitlist. Admin only.' })
  @ApiAuth(400, 404, 409)
  @ApiOkResponse({ type: CourseResponseDto })
  update(@Param('id', ParseObjectIdPipe) id: string, @Body() dto: UpdateCourseDto) {
    return this.courses.update(id, dto);
  }

  @Post('courses/:id/status')
  @HttpCode(HttpStatus.OK)
  @Roles('admin')
  @ApiOperation({
    summary: 'Lifecycle: draft -> published -> ongoing -> completed, or cancelled (cancels its sessions). Admin only.',
  })
  @ApiAuth(400, 404, 409)
  @ApiOkResponse({ type: CourseResponseDto })
  changeStatus(@Param('id', ParseObjectIdPipe) id: string, @Body() dto: ChangeStatusDto) {
    return this.courses.changeStatus(id, dto);
  }

  @Delete('courses/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Roles('admin')
  @ApiOperation({ summary: 'Delete a draft course without participants. Admin only.' })
  @ApiAuth(400, 404, 409)
  @ApiNoContentResponse()
  async remove(@Param('id', ParseObjectIdPipe) id: string): Promise<void> {
    await this.courses.remove(id);
  }
}
