import { Module } from '@nestjs/common';
import { AttendanceModule } from '../attendance/attendance.module';
import { ChatModule } from '../chat/chat.module';
import { MediaSignallingModule } from '../media/media-signalling.module';
import { SignallingModule } from '../signalling/signalling.module';
import { MembershipService } from './membership.service';
import { RoomStateModule } from './room-state.module';
import { PresenceNotices } from './presence-notices.service';
import { RoomGateway } from './room.gateway';

@Module({
  imports: [RoomStateModule, ChatModule, AttendanceModule, SignallingModule, MediaSignallingModule],
  providers: [MembershipService, PresenceNotices, RoomGateway],
  exports: [MembershipService],
})
export class RoomsModule {}
