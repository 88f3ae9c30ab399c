import { Global, Module } from '@nestjs/common';
import { TurnClock, TurnCredentialsService } from './turn-credentials.service';

/** Global: the join and transport handlers both hand out ICE servers. */
@Global()
@Module({
  providers: [TurnClock, TurnCredentialsService],
  exports: [TurnCredentialsService],
})
export class TurnModule {}
