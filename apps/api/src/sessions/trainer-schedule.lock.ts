import { Injectable } from '@nestjs/common';
import { RedisMutex } from '../common/redis-mutex';

/**
 * Serialises booking per trainer across API replicas, so two concurrent
 * bookings cannot both pass the overlap check (the rule spans documents and
 * there are no transactions).
 */
@Injectable()
export class TrainerScheduleLock {
  constructor(private readonly mutex: RedisMutex) {}

  withTrainers<T>(trainerIds: string[], work: () => Promise<T>): Promise<T> {
    return this.mutex.withLocks(
      trainerIds.map((id) => `trainer:${id}`),
      work,
    );
  }
}
