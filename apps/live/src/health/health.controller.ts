import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { DependencyHealth } from '@balai/common';
import { MediasoupHealthIndicator } from './mediasoup.health';

/** MongoDB, Redis and the number of live mediasoup workers. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependencies: DependencyHealth,
    private readonly mediasoup: MediasoupHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([...this.dependencies.checks(), () => this.mediasoup.check('mediasoup')]);
  }
}
