import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';
import { TrainerScheduleLock } from './trainer-schedule.lock';

@Module({
  imports: [UsersModule],
  controllers: [SessionsController],
  providers: [SessionsService, TrainerScheduleLock],
})
export class SessionsModule {}
