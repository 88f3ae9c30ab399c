/**
 * Test data factories for certificate and notification tests: a finished course
 * with sessions, participants with an IKM profile, and attendance at a chosen
 * percentage. Writes straight to the database through the project's schemas.
 */
import { randomBytes } from 'node:crypto';
import mongoose, { Connection, Model, Types } from 'mongoose';
import {
  AttendanceInterval,
  AttendanceIntervalSchema,
  Certificate,
  CertificateSchema,
  Course,
  CourseSchema,
  CourseSession,
  CourseSessionSchema,
  Enrollment,
  EnrollmentSchema,
  User,
  UserSchema,
} from '@balai/database';

export interface Db {
  connection: Connection;
  users: Model<User>;
  courses: Model<Course>;
  sessions: Model<CourseSession>;
  enrollments: Model<Enrollment>;
  intervals: Model<AttendanceInterval>;
  certificates: Model<Certificate>;
  close(drop?: boolean): Promise<void>;
}

export async function connectDb(uri = process.env.MONGODB_URI!): Promise<Db> {
  const connection = await mongoose.createConnection(uri).asPromise();
  const db: Db = {
    connection,
    users: connection.model(User.name, UserSchema),
    courses: connection.model(Course.name, CourseSchema),
    sessions: connection.model(CourseSession.name, CourseSessionSchema),
    enrollments: connection.model(Enrollment.name, EnrollmentSchema),
    intervals: connection.model(AttendanceInterval.name, AttendanceIntervalSchema),
    certificates: connection.model(Certificate.name, CertificateSchema),
    async close(drop = true) {
      if (drop) await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    },
  };
  await db.certificates.syncIndexes();
  return db;
}

const HOUR = 3600_000;

export interface SeededCourse {
  id: string;
  code: string;
  title: string;
  sessions: Array<{ id: string; startsAt: Date; endsAt: Date }>;
}

/** A course whose `sessionCount` two-hour sessions, one a day, ended `endedHoursAgo` (default 72) hours ago or earlier; negative: not ended yet. */
export async function createFinishedCourse(
  db: Db,
  o: {
    title?: string;
    sessionCount?: number;
    minAttendancePercent?: number;
    code?: string;
    autoIssue?: boolean;
    endedHoursAgo?: number;
  } = {},
): Promise<SeededCourse> {
  const code = o.code ?? `PKM-${randomBytes(3).toString('hex').toUpperCase()}`;
  const title = o.title ?? 'Pelatihan Pengemasan Produk Pangan Olahan';
  const base = Date.now() - (o.endedHoursAgo ?? 3 * 24) * HOUR - (o.sessionCount ?? 2) * 24 * HOUR;
  const course = await db.courses.create({
    code,
    title,
    category: 'pangan',
    type: 'pelatihan',
    status: 'completed',
    capacity: 5000,
    registrationOpensAt: new Date(base - 30 * 24 * HOUR),
    registrationClosesAt: new Date(base - 24 * HOUR),
    lessonHours: 24,
    certificate: { enabled: true, minAttendancePercent: o.minAttendancePercent ?? 80, autoIssue: o.autoIssue ?? false },
  });
  const sessions = [];
  for (let i = 0; i < (o.sessionCount ?? 2); i += 1) {
    const startsAt = new Date(base + i * 24 * HOUR);
    const s = await db.sessions.create({
      courseId: course._id,
      title: `Sesi ${i + 1}`,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * HOUR),
      status: 'ended',
    });
    sessions.push({ id: s._id.toString(), startsAt, endsAt: s.endsAt });
  }
  return { id: course._id.toString(), code, title, sessions };
}

export interface ParticipantSpec {
  name?: string;
  businessName?: string;
  email?: string;
  /** Share of every session attended. */
  attendancePercent: number;
  enrollment?: 'enrolled' | 'cancelled' | 'removed' | 'waitlisted';
}

/** Participants with enrolment and attendance, inserted in bulk. Returns their ids in order. */
export async function addParticipants(db: Db, course: SeededCourse, specs: ParticipantSpec[]): Promise<string[]> {
  const tag = randomBytes(3).toString('hex');
  const users = specs.map((spec, i) => ({
    _id: new Types.ObjectId(),
    email: spec.email ?? `peserta-${tag}-${i}@example.id`,
    name: spec.name ?? `Peserta ${tag} ${i}`,
    role: 'participant',
    passwordHash: 'x',
    ikm: {
      businessName: spec.businessName ?? `UD Usaha ${i}`,
      ownerName: spec.name ?? `Peserta ${i}`,
      nib: '1234567890123',
      sector: 'pangan',
      kecamatan: 'Cikarang Utara',
      address: 'Jl. Industri 1',
      whatsapp: '+6281234567890',
    },
  }));
  await db.users.insertMany(users, { lean: true });
  await db.enrollments.insertMany(
    users.map((u, i) => ({
      courseId: new Types.ObjectId(course.id),
      userId: u._id,
      status: specs[i]!.enrollment ?? 'enrolled',
      seq: i + 1,
    })),
    { lean: true },
  );
  const intervals = [];
  for (const [i, u] of users.entries()) {
    const share = specs[i]!.attendancePercent / 100;
    if (share <= 0) continue;
    for (const s of course.sessions) {
      const length = (s.endsAt.getTime() - s.startsAt.getTime()) * share;
      intervals.push({
        sessionId: new Types.ObjectId(s.id),
        courseId: new Types.ObjectId(course.id),
        userId: u._id,
        joinEventId: `join-${u._id.toString()}-${s.id}`,
        joinedAt: s.startsAt,
        leftAt: new Date(s.startsAt.getTime() + length),
      });
    }
  }
  if (intervals.length) await db.intervals.insertMany(intervals, { lean: true });
  return users.map((u) => u._id.toString());
}

export async function createAdmin(db: Db): Promise<string> {
  const admin = await db.users.create({
    email: `admin-${randomBytes(3).toString('hex')}@example.id`,
    name: 'Admin Dinas',
    role: 'admin',
    passwordHash: 'x',
  });
  return admin._id.toString();
}
