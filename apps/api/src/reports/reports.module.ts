import { Module } from '@nestjs/common';
import { AttendanceModule } from '../attendance/attendance.module';
import { UsersModule } from '../users/users.module';
import { CertificateReadRepository } from './certificate-read.repository';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({
  imports: [UsersModule, AttendanceModule],
  controllers: [ReportsController],
  providers: [ReportsService, CertificateReadRepository],
})
export class ReportsModule {}
