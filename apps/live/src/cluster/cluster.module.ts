import { Module } from '@nestjs/common';
import { RoomStateModule } from '../rooms/room-state.module';
import { NodePipes } from './node-pipes.service';

/** What live nodes do for each other: media pipes between their routers. */
@Module({
  imports: [RoomStateModule],
  providers: [NodePipes],
  exports: [NodePipes],
})
export class ClusterModule {}
