import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { AttendanceCalculator } from './attendance.calculator';
import { AttendanceController } from './attendance.controller';
import { AttendanceRepository } from './attendance.repository';
import { AttendanceService } from './attendance.service';
import { InternalTokenGuard } from './internal-token.guard';

@Module({
  imports: [UsersModule],
  controllers: [AttendanceController],
  providers: [AttendanceRepository, AttendanceCalculator, AttendanceService, InternalTokenGuard],
  exports: [AttendanceRepository, AttendanceCalculator],
})
export class AttendanceModule {}
