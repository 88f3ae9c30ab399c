import { Module } from '@nestjs/common';
import { CertificateSettingsController } from './certificate-settings.controller';

@Module({ controllers: [CertificateSettingsController] })
export class CertificateSettingsModule {}
