import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Types } from 'mongoose';
import { RedisClient } from '@balai/common';
import { CourseRepository } from '../courses/course.repository';
import { EnrollmentRepository } from './enrollment.repository';

/**
 * The seat and place-in-line counters of each course, changed only by Lua
 * scripts in Redis, so every change is atomic without a lock and without a
 * database round trip in the critical path.
 *
 * Why not `$inc` on the course document: the MongoDB-protocol server used in
 * development and CI (FerretDB 1.24) does not apply concurrent `$inc` or
 * `findAndModify` on one document atomically (50 parallel `$inc` ended at 4 in
 * a probe). The course document's `capacity`, `seatsTaken` and `enrollmentSeq`
 * are kept in step after each change, for display and reports.
 *
 * Counters are created from the database on first use (and again if Redis
 * lost them): seats = enrolled enrolments, seq = highest seq, capacity = the
 * course's. Never change these keys outside this class.
 */
const CLAIM = `
if redis.call('exists', KEYS[1]) == 0 or redis.call('exists', KEYS[2]) == 0 or redis.call('exists', KEYS[3]) == 0 then return {-1, 0, 0} end
local seq = redis.call('incr', KEYS[2])
local seats = tonumber(redis.call('get', KEYS[1]))
if seats < tonumber(redis.call('get', KEYS[3])) then
  seats = redis.call('incr', KEYS[1])
  return {1, seq, seats}
end
return {0, seq, seats}`;

const TAKE = `
if redis.call('exists', KEYS[1]) == 0 or redis.call('exists', KEYS[3]) == 0 then return -1 end
if tonumber(redis.call('get', KEYS[1])) < tonumber(redis.call('get', KEYS[3])) then return redis.call('incr', KEYS[1]) end
return 0`;

const RELEASE = `
if redis.call('exists', KEYS[1]) == 0 then return -1 end
if tonumber(redis.call('get', KEYS[1])) > 0 then return redis.call('decr', KEYS[1]) end
return 0`;

const ENSURE = `
if redis.call('exists', KEYS[1]) == 0 or redis.call('exists', KEYS[2]) == 0 or redis.call('exists', KEYS[3]) == 0 then return -1 end
return 1`;

const SET_CAPACITY = `
if redis.call('exists', KEYS[1]) == 0 or redis.call('exists', KEYS[3]) == 0 then return -1 end
if tonumber(redis.call('get', KEYS[1])) > tonumber(ARGV[1]) then return 0 end
redis.call('set', KEYS[3], ARGV[1])
return 1`;

export interface Claim {
  seated: boolean;
  seq: number;
  seatsTaken: number;
  capacity: number;
}

/** How often at most the course document is brought in step with the counters (one write per course per period). */
const SYNC_EVERY_MS = 500;

@Injectable()
export class SeatCounter implements OnApplicationShutdown {
  private readonly logger = new Logger(SeatCounter.name);
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly redis: RedisClient,
    private readonly courses: CourseRepository,
    private readonly enrollments: EnrollmentRepository,
  ) {}

  private keys(courseId: Types.ObjectId): [string, string, string] {
    const id = String(courseId);
    return [`seats:${id}:taken`, `seats:${id}:seq`, `seats:${id}:capacity`];
  }

  private async run(script: string, courseId: Types.ObjectId, args: Array<string | number> = []): Promise<unknown> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await this.redis.client.eval(script, 3, ...this.keys(courseId), ...args);
      const missing = Array.isArray(result) ? result[0] === -1 : result === -1;
      if (!missing) return result;
      await this.load(courseId);
    }
    throw new Error(`seat counters for course ${String(courseId)} could not be loaded`);
  }

  /** Creates missing counters from the database (SET NX: a concurrent loader never overwrites). */
  private async load(courseId: Types.ObjectId): Promise<void> {
    const course = await this.courses.findById(courseId);
    if (!course) throw new Error(`course ${String(courseId)} not found`);
    const [enrolled, highest] = await Promise.all([
      this.enrollments.countByStatus(courseId, 'enrolled'),
      this.enrollments.highestSeq(courseId),
    ]);
    const [taken, seq, capacity] = this.keys(courseId);
    await this.redis.client
      .multi()
      .set(taken, enrolled, 'NX')
      .set(seq, Math.max(highest, course.enrollmentSeq ?? 0), 'NX')
      .set(capacity, course.capacity, 'NX')
      .exec();
  }

  /** A place in line, and a seat if one is free. */
  async claim(courseId: Types.ObjectId): Promise<Claim> {
    const [seated, seq, seatsTaken] = (await this.run(CLAIM, courseId)) as [number, number, number];
    const capacity = Number(await this.redis.client.get(this.keys(courseId)[2]));
    this.scheduleSync(courseId);
    return { seated: seated === 1, seq, seatsTaken, capacity };
  }

  /** A seat for a promotion (capacity grew or a seat was released); false when full. */
  async takeSeat(courseId: Types.ObjectId): Promise<boolean> {
    const seats = Number(await this.run(TAKE, courseId));
    if (seats > 0) this.scheduleSync(courseId);
    return seats > 0;
  }

  async release(courseId: Types.ObjectId): Promise<void> {
    await this.run(RELEASE, courseId);
    this.scheduleSync(courseId);
  }

  /**
   * Writes the current counters to the course document soon, coalescing bursts:
   * under a rush of enrolments the database sees one write per course per
   * SYNC_EVERY_MS instead of one per request (writes are what the
   * development database is slowest at).
   */
  private scheduleSync(courseId: Types.ObjectId): void {
    const id = String(courseId);
    if (this.pending.has(id)) return;
    this.pending.set(
      id,
      setTimeout(() => {
        this.pending.delete(id);
        void this.flush(courseId);
      }, SYNC_EVERY_MS),
    );
  }

  private async flush(courseId: Types.ObjectId): Promise<void> {
    try {
      const [taken, seq] = this.keys(courseId);
      const [t, q] = await this.redis.client.mget(taken, seq);
      if (t !== null && q !== null) await this.courses.syncCounters(courseId, Number(t), Number(q));
    } catch (error) {
      this.logger.warn({ err: error, courseId: String(courseId) }, 'could not sync seat counters to the course');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const ids = [...this.pending.keys()];
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    await Promise.all(ids.map((id) => this.flush(new Types.ObjectId(id))));
  }

  /** Changes the capacity unless more seats are already taken; false in that case. */
  async setCapacity(courseId: Types.ObjectId, capacity: number): Promise<boolean> {
    return Number(await this.run(SET_CAPACITY, courseId, [capacity])) === 1;
  }

  async state(courseId: Types.ObjectId): Promise<{ seatsTaken: number; capacity: number }> {
    await this.run(ENSURE, courseId);
    const [taken, , capacity] = this.keys(courseId);
    const [t, c] = await this.redis.client.mget(taken, capacity);
    return { seatsTaken: Number(t), capacity: Number(c) };
  }
}
