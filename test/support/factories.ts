/**
 * Small test-data factories: a user with a role, a course with sessions, and
 * access tokens minted with the app's own JwtService (so tests do not spend
 * their login rate limit). Everything is written through the real models.
 */
import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { getModelToken } from '@nestjs/mongoose';
import * as argon2 from 'argon2';
import { Model, Types } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { Course, CourseSession, Enrollment, enrollmentId, User } from '@balai/database';
import type { CourseStatus, CourseType, Role } from '@balai/domain';
import { announceAdmissionChange } from './admission-changes';

export const TEST_PASSWORD = 'Rahasia123';
let cachedHash: Promise<string> | null = null;
const passwordHash = () =>
  (cachedHash ??= argon2.hash(TEST_PASSWORD, {
    type: argon2.argon2id,
    memoryCost: 19_456,
    timeCost: 2,
    parallelism: 1,
  }));

export interface TestUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  token: string;
  auth: { Authorization: string };
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString('hex')}`;

export const validIkm = (overrides: Record<string, unknown> = {}) => ({
  businessName: 'Kripik Singkong Bu Ani',
  ownerName: 'Ani Suryani',
  nib: '1234567890123',
  sector: 'food_beverage',
  kecamatan: 'Cikarang Utara',
  address: 'Jl. Raya Cikarang No. 1',
  whatsapp: '0812-3456-7890',
  ...overrides,
});

export function model<T>(app: INestApplication, name: string): Model<T> {
  return app.get<Model<T>>(getModelToken(name));
}

export async function tokenFor(app: INestApplication, user: { id: string; role: Role; name: string }): Promise<string> {
  return app.get(JwtService).signAsync({ sub: user.id, role: user.role, name: user.name, typ: 'access' });
}

export async function createUser(
  app: INestApplication,
  role: Role,
  overrides: { email?: string; name?: string; sector?: string; kecamatan?: string } = {},
): Promise<TestUser> {
  const tag = unique();
  const email = overrides.email ?? `${role}-${tag}@test.local`;
  const name = overrides.name ?? `${role} ${tag}`;
  const doc = await model<User>(app, User.name).create({
    email,
    name,
    role,
    passwordHash: await passwordHash(),
    ikm:
      role === 'participant'
        ? {
            businessName: `Usaha ${tag}`,
            ownerName: name,
            nib: '1234567890123',
            sector: overrides.sector ?? 'food_beverage',
            kecamatan: overrides.kecamatan ?? 'Cikarang Utara',
            address: 'Jl. Test 1',
            whatsapp: '+6281234567890',
          }
        : undefined,
  });
  const id = doc._id.toHexString();
  const token = await tokenFor(app, { id, role, name });
  return { id, email, name, role, token, auth: { Authorization: `Bearer ${token}` } };
}

export interface CourseOverrides {
  status?: CourseStatus;
  type?: CourseType;
  capacity?: number;
  trainerIds?: string[];
  registrationOpensAt?: Date;
  registrationClosesAt?: Date;
  title?: string;
  minAttendancePercent?: number;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export async function createCourse(
  app: INestApplication,
  overrides: CourseOverrides = {},
): Promise<{ id: string; code: string }> {
  const code = `T-${unique()}`.toUpperCase().slice(0, 32);
  const doc = await model<Course>(app, Course.name).create({
    code,
    title: overrides.title ?? `Pelatihan ${code}`,
    description: 'Kursus uji',
    category: 'Pemasaran',
    type: overrides.type ?? 'pelatihan',
    status: overrides.status ?? 'published',
    trainerIds: (overrides.trainerIds ?? []).map((id) => new Types.ObjectId(id)),
    capacity: overrides.capacity ?? 30,
    registrationOpensAt: overrides.registrationOpensAt ?? new Date(Date.now() - DAY),
    registrationClosesAt: overrides.registrationClosesAt ?? new Date(Date.now() + 7 * DAY),
    lessonHours: 16,
    certificate: { enabled: true, minAttendancePercent: overrides.minAttendancePercent ?? 80, autoIssue: false },
  });
  return { id: doc._id.toHexString(), code };
}

export async function createSession(
  app: INestApplication,
  courseId: string,
  startsAt: Date,
  minutes = 120,
  trainerIds: string[] = [],
): Promise<{ id: string; startsAt: Date; endsAt: Date }> {
  const endsAt = new Date(startsAt.getTime() + minutes * 60_000);
  const doc = await model<CourseSession>(app, CourseSession.name).create({
    courseId: new Types.ObjectId(courseId),
    title: 'Sesi',
    startsAt,
    endsAt,
    trainerIds: trainerIds.map((id) => new Types.ObjectId(id)),
  });
  return { id: doc._id.toHexString(), startsAt, endsAt };
}

/** Marks a participant enrolled directly (takes a seat), bypassing the HTTP flow. */
export async function enrolDirect(app: INestApplication, courseId: string, userId: string): Promise<void> {
  const course = await model<Course>(app, Course.name)
    .findByIdAndUpdate(courseId, { $inc: { seatsTaken: 1, enrollmentSeq: 1 } }, { new: true })
    .lean<Course>();
  await model<Enrollment>(app, Enrollment.name).create({
    _id: enrollmentId(courseId, userId),
    courseId: new Types.ObjectId(courseId),
    userId: new Types.ObjectId(userId),
    status: 'enrolled',
    seq: course!.enrollmentSeq,
  });
  await announceAdmissionChange({ courseId });
}

export const inDays = (days: number, hourUtc = 2) => {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(hourUtc, 0, 0, 0);
  return d;
};
