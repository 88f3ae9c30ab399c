import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MediaSignallingModule } from '../media/media-signalling.module';
import { RoomStateModule } from '../rooms/room-state.module';
import { RoomsModule } from '../rooms/rooms.module';
import { SignallingModule } from '../signalling/signalling.module';
import { EdgeRelay } from './edge-relay.service';
import { NodePipes } from './node-pipes.service';

/** What live nodes do for each other: media pipes between their routers, and edge rooms of sessions owned elsewhere. */
@Module({
  imports: [RoomStateModule, RoomsModule, MediaSignallingModule, SignallingModule, DiscoveryModule],
  providers: [NodePipes, EdgeRelay],
  exports: [NodePipes, EdgeRelay],
})
export class ClusterModule {}
