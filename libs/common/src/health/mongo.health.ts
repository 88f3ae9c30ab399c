import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from './with-timeout';
import type { Connection } from 'mongoose';

/** Terminus indicator: the MongoDB-protocol server answers `ping`. */
@Injectable()
export class MongoHealthIndicator {
  constructor(private readonly health: HealthIndicatorService) {}

  async pingCheck(key: string, connection: Connection, timeoutMs = 3000): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    if (connection.readyState !== 1 || !connection.db) {
      return indicator.down({ message: `not connected (state ${connection.readyState})` });
    }
    try {
      await withTimeout(connection.db.admin().ping(), timeoutMs);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
