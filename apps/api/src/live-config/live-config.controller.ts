import { Controller, Get } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { ApiEnv } from '@balai/config';
import { Public } from '../auth/auth.decorators';

export class LiveConfigDto {
  @ApiProperty({
    example: 'https://live.balai.example.go.id',
    description: 'Where browsers open the socket.io connection to the live service.',
  })
  liveUrl!: string;
}

/** Tells the browser client where the live service is (LIVE_PUBLIC_URL), so one web build serves every deployment. */
@ApiTags('live')
@Public()
@Controller('live/config')
export class LiveConfigController {
  constructor(private readonly config: ConfigService<ApiEnv, true>) {}

  @Get()
  @ApiOperation({ summary: 'Public runtime configuration of the live classroom client.' })
  @ApiOkResponse({ type: LiveConfigDto })
  get(): LiveConfigDto {
    return { liveUrl: this.config.get('LIVE_PUBLIC_URL', { infer: true }) };
  }
}
