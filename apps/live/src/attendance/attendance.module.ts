import { Module } from '@nestjs/common';
import { RoomStateModule } from '../rooms/room-state.module';
import { AttendanceOutbox } from './attendance-outbox.service';
import { AttendanceRecovery } from './attendance-recovery.service';
import { AttendanceService } from './attendance.service';
import { PresenceStore } from './presence.store';

@Module({
  imports: [RoomStateModule],
  providers: [AttendanceOutbox, AttendanceService, PresenceStore, AttendanceRecovery],
  exports: [AttendanceService, AttendanceOutbox, AttendanceRecovery],
})
export class AttendanceModule {}
