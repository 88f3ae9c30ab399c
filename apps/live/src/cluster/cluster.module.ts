import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MediaSignallingModule } from '../media/media-signalling.module';
import { RoomStateModule } from '../rooms/room-state.module';
import { RoomsModule } from '../rooms/rooms.module';
import { SignallingModule } from '../signalling/signalling.module';
import { MediaModule } from '../media/media.module';
import { EdgeRelay } from './edge-relay.service';
import { NodePipes } from './node-pipes.service';
import { PlacementController } from './placement.controller';
import { PlacementService } from './placement.service';

/** What live nodes do for each other: media pipes between their routers, edge rooms of sessions owned elsewhere, placement. */
@Module({
  imports: [RoomStateModule, RoomsModule, MediaModule, MediaSignallingModule, SignallingModule, DiscoveryModule],
  controllers: [PlacementController],
  providers: [NodePipes, EdgeRelay, PlacementService],
  exports: [NodePipes, EdgeRelay, PlacementService],
})
export class ClusterModule {}
