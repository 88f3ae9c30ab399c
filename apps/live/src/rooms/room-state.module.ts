import { Module } from '@nestjs/common';
import { MediaModule } from '../media/media.module';
import { SignallingModule } from '../signalling/signalling.module';
import { AdmissionCache } from './admission-cache.service';
import { AdmissionService } from './admission.service';
import { RemovalStore } from './removal.store';
import { RoomNodeMap } from './room-node-map.service';
import { RoomRegistry } from './room-registry.service';
import { SessionRepository } from './session.repository';

/** Rooms on this node, who may enter them, and which node hosts which. */
@Module({
  imports: [MediaModule, SignallingModule],
  providers: [RoomRegistry, RoomNodeMap, RemovalStore, AdmissionCache, AdmissionService, SessionRepository],
  exports: [RoomRegistry, RoomNodeMap, RemovalStore, AdmissionService, SessionRepository],
})
export class RoomStateModule {}
