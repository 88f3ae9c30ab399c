/**
 * Test harness for the live service: the real app (production wiring, Redis
 * adapter, mediasoup worker) on a random loopback port, data factories on the
 * same database, access tokens signed like the API's, and a promise-based
 * socket.io client speaking the contract.
 */
import { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { getModelToken } from '@nestjs/mongoose';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { Model } from 'mongoose';
import { Types } from 'mongoose';
import { io, Socket } from 'socket.io-client';
import { Course, CourseSession, Enrollment, enrollmentId, User } from '@balai/database';
import type { Role } from '@balai/domain';
import { Ack, ClientAckData, ClientEventName, ServerNotifications } from '@balai/live-contract';
import { announceAdmissionChange } from './admission-changes';

export interface RunningLive {
  app: INestApplication;
  url: string;
  factory: LiveFactory;
  close(): Promise<void>;
}

/**
 * The environment is read when LiveModule is first imported (its config module
 * validates process.env then), so the app is imported here, after a test file
 * has set any variables it needs.
 */
export async function startLiveApp(): Promise<RunningLive> {
  const { LiveModule } = await import('../../apps/live/src/live.module');
  const { configureLiveApp } = await import('../../apps/live/src/setup');
  const moduleRef = await Test.createTestingModule({ imports: [LiveModule] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, bufferLogs: true });
  configureLiveApp(app);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    factory: new LiveFactory(app),
    close: () => app.close(),
  };
}

export interface TestUser {
  id: string;
  name: string;
  role: Role;
  token: string;
}

export interface TestCourse {
  courseId: string;
  sessionId: string;
  trainer: TestUser;
}

let counter = 0;

/** Small factories: users with a role, a course with a session, enrolments. */
export class LiveFactory {
  private readonly jwt: JwtService;
  private readonly users: Model<User>;
  private readonly courses: Model<Course>;
  private readonly sessions: Model<CourseSession>;
  private readonly enrollments: Model<Enrollment>;

  constructor(app: INestApplication) {
    const config = app.get(ConfigService);
    this.jwt = new JwtService({ secret: config.get<string>('JWT_SECRET') });
    this.users = app.get(getModelToken(User.name));
    this.courses = app.get(getModelToken(Course.name));
    this.sessions = app.get(getModelToken(CourseSession.name));
    this.enrollments = app.get(getModelToken(Enrollment.name));
  }

  token(user: { id: string; role: Role; name: string }, options: { typ?: string; expiresIn?: number } = {}): string {
    return this.jwt.sign(
      { sub: user.id, role: user.role, name: user.name, typ: options.typ ?? 'access' },
      { expiresIn: options.expiresIn ?? 900 },
    );
  }

  async user(role: Role, name = `${role} ${++counter}`): Promise<TestUser> {
    const doc = await this.users.create({
      email: `${role}${++counter}.${Date.now()}@example.test`,
      name,
      role,
      passwordHash: 'x',
    });
    const id = String(doc._id);
    return { id, name, role, token: this.token({ id, role, name }) };
  }

  /** A published course with one trainer and one session (live now unless told otherwise). */
  async course(session: { startsAt?: Date; endsAt?: Date; status?: string } = {}): Promise<TestCourse> {
    const trainer = await this.user('trainer');
    const now = Date.now();
    const course = await this.courses.create({
      code: `LIVE${++counter}${now % 100000}`,
      title: 'Live test course',
      category: 'test',
      type: 'pelatihan',
      status: 'ongoing',
      trainerIds: [new Types.ObjectId(trainer.id)],
      capacity: 50,
      registrationOpensAt: new Date(now - 86_400_000),
      registrationClosesAt: new Date(now + 86_400_000),
      lessonHours: 2,
    });
    const doc = await this.sessions.create({
      courseId: course._id,
      title: 'Session 1',
      startsAt: session.startsAt ?? new Date(now - 10 * 60_000),
      endsAt: session.endsAt ?? new Date(now + 60 * 60_000),
      trainerIds: [new Types.ObjectId(trainer.id)],
      status: session.status ?? 'scheduled',
    });
    return { courseId: String(course._id), sessionId: String(doc._id), trainer };
  }

  async participant(
    course: TestCourse,
    status: 'enrolled' | 'waitlisted' | 'cancelled' = 'enrolled',
  ): Promise<TestUser> {
    const user = await this.user('participant');
    await this.enrollments.create({
      _id: enrollmentId(course.courseId, user.id),
      courseId: new Types.ObjectId(course.courseId),
      userId: new Types.ObjectId(user.id),
      status,
      seq: ++counter,
    });
    await announceAdmissionChange({ courseId: course.courseId });
    return user;
  }
}

/** A socket.io client with `request(event, payload)` returning the ack. */
export class LiveClient {
  readonly socket: Socket;
  private readonly received: Array<{ event: string; payload: unknown }> = [];

  constructor(url: string, token?: string) {
    this.socket = io(url, {
      transports: ['websocket'],
      auth: token ? { token } : {},
      reconnection: false,
      forceNew: true,
    });
    this.socket.onAny((event: string, payload: unknown) => this.received.push({ event, payload }));
  }

  static async connect(url: string, token: string): Promise<LiveClient> {
    const client = new LiveClient(url, token);
    await new Promise<void>((resolve, reject) => {
      client.socket.once('connect', () => resolve());
      client.socket.once('connect_error', reject);
    });
    return client;
  }

  request<E extends ClientEventName>(event: E, payload?: unknown): Promise<Ack<ClientAckData[E]>> {
    return this.socket.timeout(5000).emitWithAck(event, payload) as Promise<Ack<ClientAckData[E]>>;
  }

  /** Raw emit with any arguments (for malformed input tests). */
  raw(event: string, ...args: unknown[]): Promise<unknown> {
    return this.socket.timeout(5000).emitWithAck(event, ...args);
  }

  async ok<E extends ClientEventName>(event: E, payload?: unknown): Promise<ClientAckData[E]> {
    const ack = await this.request(event, payload);
    if (!ack.ok) throw new Error(`${event} refused: ${ack.error.code} ${ack.error.message}`);
    return ack.data;
  }

  next<E extends keyof ServerNotifications>(event: E, timeoutMs = 5000): Promise<ServerNotifications[E]> {
    const seen = this.received.findIndex((r) => r.event === event);
    if (seen !== -1) return Promise.resolve(this.received.splice(seen, 1)[0].payload as ServerNotifications[E]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
      const listener = (name: string, payload: unknown) => {
        if (name !== event) return;
        clearTimeout(timer);
        this.socket.offAny(listener);
        const index = this.received.findIndex((r) => r.payload === payload);
        if (index !== -1) this.received.splice(index, 1);
        resolve(payload as ServerNotifications[E]);
      };
      this.socket.onAny(listener);
    });
  }

  close(): void {
    this.socket.close();
  }
}
