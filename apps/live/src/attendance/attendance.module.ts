import { Module } from '@nestjs/common';
import { AttendanceOutbox } from './attendance-outbox.service';
import { AttendanceService } from './attendance.service';

@Module({ providers: [AttendanceOutbox, AttendanceService], exports: [AttendanceService, AttendanceOutbox] })
export class AttendanceModule {}
