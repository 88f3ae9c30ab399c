import { Module } from '@nestjs/common';
import { RoomStateModule } from '../rooms/room-state.module';
import { SignallingModule } from '../signalling/signalling.module';
import { ChatRateLimiter } from './chat-rate-limiter';
import { ChatGateway } from './chat.gateway';
import { ChatRepository } from './chat.repository';
import { ChatService } from './chat.service';

@Module({
  imports: [RoomStateModule, SignallingModule],
  providers: [ChatRepository, ChatRateLimiter, ChatService, ChatGateway],
  exports: [ChatService],
})
export class ChatModule {}
