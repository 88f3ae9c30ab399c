import { Module } from '@nestjs/common';
import { InteractionController } from './interaction.controller';
import { InteractionRepository } from './interaction.repository';
import { InteractionService } from './interaction.service';

/** Prepared polls and the Q&A / poll results of sessions (issue 12; the live part is in apps/live). */
@Module({
  controllers: [InteractionController],
  providers: [InteractionRepository, InteractionService],
})
export class InteractionModule {}
