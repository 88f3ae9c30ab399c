import { Module } from '@nestjs/common';
import { RoomStateModule } from '../rooms/room-state.module';
import { SignallingModule } from '../signalling/signalling.module';
import { InteractionBroadcaster } from './interaction-broadcaster';
import { InteractionCache } from './interaction.cache';
import { InteractionChannels } from './interaction-channels';
import { InteractionCountsStore } from './interaction-counts.store';
import { InteractionGateway } from './interaction.gateway';
import { InteractionRateLimiter } from './interaction-rate-limiter';
import { InteractionRepository } from './interaction.repository';
import { PollsService } from './polls.service';
import { QnaService } from './qna.service';

/** Webinar Q&A with upvotes and live polls (issue 12). */
@Module({
  imports: [RoomStateModule, SignallingModule],
  providers: [
    InteractionRepository,
    InteractionCountsStore,
    InteractionCache,
    InteractionChannels,
    InteractionBroadcaster,
    InteractionRateLimiter,
    QnaService,
    PollsService,
    InteractionGateway,
  ],
})
export class InteractionModule {}
