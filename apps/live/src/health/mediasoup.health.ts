import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { WorkerPoolService } from '../media/worker-pool.service';

@Injectable()
export class MediasoupHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly pool: WorkerPoolService,
  ) {}

  check(key: string) {
    const indicator = this.health.check(key);
    const workers = this.pool.aliveCount;
    return workers > 0 ? indicator.up({ workers }) : indicator.down({ workers });
  }
}
