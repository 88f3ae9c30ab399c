import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ChatMessage, ChatMessageSchema } from '@balai/database/schemas/chat-message.schema';
import { RoomStateModule } from '../rooms/room-state.module';
import { SignallingModule } from '../signalling/signalling.module';
import { ChatRateLimiter } from './chat-rate-limiter';
import { ChatGateway } from './chat.gateway';
import { ChatRepository } from './chat.repository';
import { ChatService } from './chat.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: ChatMessage.name, schema: ChatMessageSchema }]), RoomStateModule, SignallingModule],
  providers: [ChatRepository, ChatRateLimiter, ChatService, ChatGateway],
  exports: [ChatService],
})
export class ChatModule {}
