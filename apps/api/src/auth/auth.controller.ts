import { Body, Controller, HttpCode, HttpStatus, Ip, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RegisterDto } from '../users/dto/user.dto';
import { ApiErrors } from '../common/api-docs';
import { Public } from './auth.decorators';
import { AuthService } from './auth.service';
import {
  LoginDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  RefreshDto,
  RegisterResponseDto,
  TokenPairDto,
} from './dto/auth.dto';

@ApiTags('auth')
@Public()
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @ApiOperation({ summary: 'A participant (IKM) registers with their business profile. Public, rate-limited per IP.' })
  @ApiCreatedResponse({ type: RegisterResponseDto })
  @ApiErrors(400, 409, 413, 429)
  register(@Body() dto: RegisterDto, @Ip() ip: string) {
    return this.auth.register(dto, ip);
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign in; rate-limited per account and per IP. Public.' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors(400, 401, 429)
  login(@Body() dto: LoginDto, @Ip() ip: string) {
    return this.auth.login(dto, ip);
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Rotate a refresh token; reusing an old one revokes the whole family. Public (the token is the credential).',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors(400, 401)
  refresh(@Body() dto: RefreshDto) {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke the refresh token family. Public (the token is the credential); idempotent.' })
  @ApiNoContentResponse()
  @ApiErrors(400)
  async logout(@Body() dto: RefreshDto): Promise<void> {
    await this.auth.logout(dto.refreshToken);
  }

  @Post('password-reset/request')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Mail a reset link if the account exists (same answer either way). Public, rate-limited.' })
  @ApiAcceptedResponse()
  @ApiErrors(400, 429)
  async requestReset(@Body() dto: PasswordResetRequestDto, @Ip() ip: string): Promise<void> {
    await this.auth.requestPasswordReset(dto.email, ip);
  }

  @Post('password-reset/confirm')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Set a new password with the token from the link; ends every session. Public.' })
  @ApiNoContentResponse()
  @ApiErrors(400)
  async confirmReset(@Body() dto: PasswordResetConfirmDto): Promise<void> {
    await this.auth.confirmPasswordReset(dto);
  }
}
