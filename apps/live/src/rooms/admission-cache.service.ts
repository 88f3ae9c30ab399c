/**
 * What admission needs per person, cached per course: the ids of the people
 * enrolled in it, and the ids of blocked (deactivated) accounts. One database
 * read per course fills it (FerretDB on SQLite scans for any filter, `_id`
 * included, so one read per join would cost a scan per person in a join storm).
 *
 * Kept correct by the API: after every enrolment status write and every block
 * or unblock it publishes on `admissionChannel` (@balai/domain), and this node
 * drops the course's entry (or the blocked set) at once. While the
 * subscription is not up (Redis away, reconnecting) nothing is served from the
 * cache, and everything is dropped when it comes back (messages may have been
 * missed meanwhile); an entry also expires after CACHE_TTL_MS, a backstop for a
 * publish the API could not make.
 */
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';
import { RedisClient } from '@balai/common';
import { AdmissionChange, admissionChannel } from '@balai/domain';
import type { LiveAppEnv } from '../config/live-config';
import { SessionRepository } from './session.repository';

const CACHE_TTL_MS = 60_000;
const MAX_COURSES = 500;

interface Entry {
  expires: number;
  value: Promise<ReadonlySet<string>>;
}

@Injectable()
export class AdmissionCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AdmissionCache.name);
  private readonly channel: string;
  private readonly enrolled = new Map<string, Entry>();
  private blocked?: Entry;
  private subscriber?: Redis;
  private subscribed = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly repository: SessionRepository,
    config: ConfigService<LiveAppEnv, true>,
  ) {
    this.channel = admissionChannel(config.get('REDIS_PREFIX', { infer: true }));
  }

  onModuleInit(): void {
    const subscriber = this.redis.client.duplicate();
    this.subscriber = subscriber;
    subscriber.on('ready', () => {
      subscriber.subscribe(this.channel).then(
        () => {
          this.clear(); // changes may have been missed while unsubscribed
          this.subscribed = true;
        },
        (error: unknown) => this.logger.warn({ err: error }, 'could not subscribe to admission changes'),
      );
    });
    subscriber.on('close', () => {
      this.subscribed = false;
      this.clear();
    });
    subscriber.on('error', () => undefined); // reconnects by itself; 'close' already stopped the cache
    subscriber.on('message', (_channel: string, message: string) => this.apply(message));
  }

  onApplicationShutdown(): void {
    this.subscribed = false;
    this.subscriber?.disconnect();
  }

  /** Whether admission may rely on the cache now (the subscription is up). */
  get live(): boolean {
    return this.subscribed;
  }

  /** Enrolled user ids of a course, or null when the cache is not live (read the database per person). */
  enrolledIn(courseId: string): Promise<ReadonlySet<string>> | null {
    if (!this.subscribed) return null;
    const now = Date.now();
    const cached = this.enrolled.get(courseId);
    if (cached && cached.expires > now) return cached.value;
    const entry = this.entry(
      () => this.repository.enrolledUserIds(courseId),
      () => this.enrolled.delete(courseId),
    );
    this.enrolled.set(courseId, entry);
    if (this.enrolled.size > MAX_COURSES) {
      for (const [key, value] of this.enrolled)
        if (value.expires <= now || this.enrolled.size > MAX_COURSES) this.enrolled.delete(key);
    }
    return entry.value;
  }

  /** Ids of blocked accounts, or null when the cache is not live. */
  blockedUsers(): Promise<ReadonlySet<string>> | null {
    if (!this.subscribed) return null;
    if (this.blocked && this.blocked.expires > Date.now()) return this.blocked.value;
    const entry = this.entry(
      () => this.repository.blockedUserIds(),
      () => (this.blocked = undefined),
    );
    this.blocked = entry;
    return entry.value;
  }

  /** Set before the read is awaited, so a change published while it runs drops it too. */
  private entry(load: () => Promise<ReadonlySet<string>>, forget: () => void): Entry {
    const value = load();
    value.catch(forget);
    return { expires: Date.now() + CACHE_TTL_MS, value };
  }

  private apply(message: string): void {
    let change: AdmissionChange;
    try {
      change = JSON.parse(message) as AdmissionChange;
    } catch {
      this.clear();
      return;
    }
    if ('courseId' in change) this.enrolled.delete(change.courseId);
    else if ('userId' in change) this.blocked = undefined;
    else this.clear();
  }

  private clear(): void {
    this.enrolled.clear();
    this.blocked = undefined;
  }
}
