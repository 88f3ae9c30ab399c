import { Module } from '@nestjs/common';
import { AttendanceOutbox } from './attendance-outbox.service';
import { AttendanceRecovery } from './attendance-recovery.service';
import { AttendanceService } from './attendance.service';
import { PresenceStore } from './presence.store';

@Module({
  providers: [AttendanceOutbox, AttendanceService, PresenceStore, AttendanceRecovery],
  exports: [AttendanceService, AttendanceOutbox, AttendanceRecovery],
})
export class AttendanceModule {}
