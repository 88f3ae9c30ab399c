import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import type { AuthUser } from '@balai/common';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiAuth } from '../common/api-docs';
import { ParseObjectIdPipe } from '../common/parse-object-id.pipe';
import { CreateStaffDto, UpdateMeDto, UserPageDto, UserQueryDto, UserResponseDto } from './dto/user.dto';
import { UsersService } from './users.service';

class SetActiveDto {
  @ApiProperty() @IsBoolean() active!: boolean;
}

@ApiTags('users')
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOperation({ summary: 'The signed-in user (any role).' })
  @ApiAuth()
  @ApiOkResponse({ type: UserResponseDto })
  me(@CurrentUser() user: AuthUser) {
    return this.users.me(user);
  }

  @Patch('me')
  @ApiOperation({ summary: 'Update own name, language or (participants) IKM profile. Any role, self only.' })
  @ApiAuth(400)
  @ApiOkResponse({ type: UserResponseDto })
  updateMe(@CurrentUser() user: AuthUser, @Body() dto: UpdateMeDto) {
    return this.users.updateMe(user, dto);
  }

  @Post('users')
  @Roles('admin')
  @ApiOperation({ summary: 'Create a trainer or admin account. Admin only.' })
  @ApiAuth(400, 409)
  @ApiCreatedResponse({ type: UserResponseDto })
  createStaff(@Body() dto: CreateStaffDto) {
    return this.users.createStaff(dto);
  }

  @Get('users')
  @Roles('admin')
  @ApiOperation({ summary: 'List users with filters (role, sector, kecamatan, text). Admin only.' })
  @ApiAuth(400)
  @ApiOkResponse({ type: UserPageDto })
  list(@Query() query: UserQueryDto) {
    return this.users.list(query);
  }

  @Get('users/:id')
  @ApiOperation({ summary: 'One user. Admin: anyone; others: only themselves.' })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: UserResponseDto })
  get(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string) {
    return this.users.getById(user, id);
  }

  @Patch('users/:id/active')
  @Roles('admin')
  @ApiOperation({ summary: 'Deactivate or reactivate an account. Admin only.' })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: UserResponseDto })
  setActive(@Param('id', ParseObjectIdPipe) id: string, @Body() dto: SetActiveDto) {
    return this.users.setActive(id, dto.active);
  }
}
