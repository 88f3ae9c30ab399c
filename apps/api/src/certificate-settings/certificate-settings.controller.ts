import { Controller, Get } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiEnv, placeholderSignatorySettings } from '@balai/config';
import { Roles } from '../auth/auth.decorators';
import { ApiAuth } from '../common/api-docs';

export class CertificateSettingsDto {
  @ApiProperty({
    type: [String],
    example: ['CERT_SIGNATORY_NAME', 'CERT_SIGNATORY_NIP'],
    description: 'Signatory variables still holding the shipped placeholder (empty when every one is set)',
  })
  placeholderSignatory!: string[];
}

/**
 * Tells the admin screens whether certificates would carry placeholder signatory
 * data ("Nama Kepala Dinas", a dummy NIP), so they can warn before issuing. Reads
 * the same variables the worker prints on certificates (one .env for both).
 */
@ApiTags('certificates')
@Controller('certificates/settings')
export class CertificateSettingsController {
  constructor(private readonly config: ConfigService<ApiEnv, true>) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Admin: which certificate signatory settings are still placeholders.' })
  @ApiAuth()
  @ApiOkResponse({ type: CertificateSettingsDto })
  get(): CertificateSettingsDto {
    return {
      placeholderSignatory: placeholderSignatorySettings({
        CERT_SIGNATORY_NAME: this.config.get('CERT_SIGNATORY_NAME', { infer: true }),
        CERT_SIGNATORY_NIP: this.config.get('CERT_SIGNATORY_NIP', { infer: true }),
      }),
    };
  }
}
