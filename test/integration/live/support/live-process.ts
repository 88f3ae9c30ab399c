/**
 * The live service as its own OS process (`node -r @swc-node/register
 * apps/live/src/main.ts`), so tests can SIGKILL or SIGTERM it as a crash, the
 * OOM killer or a deploy would, and start it again on the same port. Plus
 * factories writing straight to the test database (no in-process app, which
 * would itself be a live node).
 */
import { Types } from 'mongoose';
import type { Db } from '../../../support/db-factories';
import { ServiceProcess } from '../../../support/service-process';
import { announceAdmissionChange } from '../../../support/admission-changes';
import { accessToken } from '../../../support/tokens';

export class LiveProcess extends ServiceProcess {
  constructor(
    readonly port: number,
    env: Record<string, string>,
  ) {
    super('live', { LIVE_HOST: '127.0.0.1', LIVE_PORT: String(port), ...env });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
}

export interface ProcessCourse {
  courseId: string;
  sessionId: string;
  trainerToken: string;
  trainerId: string;
}

let counter = 0;

/** A running course with one trainer and a session open now, written to the test database. */
export async function seedCourse(db: Db): Promise<ProcessCourse> {
  const now = Date.now();
  const trainer = await db.users.create({
    email: `t${++counter}.${now}@example.test`,
    name: `Pelatih ${counter}`,
    role: 'trainer',
    passwordHash: 'x',
  });
  const course = await db.courses.create({
    code: `LP${++counter}${now % 100000}`,
    title: 'Live process course',
    category: 'test',
    type: 'pelatihan',
    status: 'ongoing',
    trainerIds: [trainer._id],
    capacity: 50,
    registrationOpensAt: new Date(now - 86_400_000),
    registrationClosesAt: new Date(now + 86_400_000),
    lessonHours: 2,
  });
  const session = await db.sessions.create({
    courseId: course._id,
    title: 'Session 1',
    startsAt: new Date(now - 10 * 60_000),
    endsAt: new Date(now + 60 * 60_000),
    trainerIds: [trainer._id],
    status: 'scheduled',
  });
  const trainerId = String(trainer._id);
  return {
    courseId: String(course._id),
    sessionId: String(session._id),
    trainerId,
    trainerToken: accessToken(trainerId, 'trainer', trainer.name),
  };
}

/** An enrolled participant of the course: id and access token. */
export async function seedParticipant(db: Db, course: ProcessCourse): Promise<{ id: string; token: string }> {
  const user = await db.users.create({
    email: `p${++counter}.${Date.now()}@example.test`,
    name: `Peserta ${counter}`,
    role: 'participant',
    passwordHash: 'x',
  });
  await db.enrollments.create({
    courseId: new Types.ObjectId(course.courseId),
    userId: user._id,
    status: 'enrolled',
    seq: ++counter,
  });
  await announceAdmissionChange({ courseId: course.courseId });
  const id = String(user._id);
  return { id, token: accessToken(id, 'participant', user.name) };
}
