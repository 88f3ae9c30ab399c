/**
 * Demo season for Balai: an admin, 3 trainers, 40 IKM participants across
 * sectors and kecamatan, and 4 courses in different states (completed,
 * ongoing, published, draft) with sessions, enrolments and attendance.
 *
 * Idempotent: everything is upserted by a natural key (email, course code,
 * deterministic event ids), so running it twice changes nothing. Times are
 * relative to "now" so the demo always looks current. Prints the demo logins.
 *
 *   node -r @swc-node/register infra/seed/seed.ts      (npm run seed)
 *
 * Writes directly through the platform's mongoose schemas (no HTTP, no queue),
 * so no reminder jobs are created for seeded sessions.
 */
import * as argon2 from 'argon2';
import mongoose, { Types } from 'mongoose';
import { apiEnvSchema, parseEnv } from '@balai/config';
import {
  AttendanceInterval,
  AttendanceIntervalSchema,
  Course,
  CourseSchema,
  CourseSession,
  CourseSessionSchema,
  Enrollment,
  enrollmentId,
  EnrollmentSchema,
  User,
  UserSchema,
} from '@balai/database';
import { CourseStatus, CourseType, KECAMATAN, newCourseCertificateRules, SECTOR_CODES } from '@balai/domain';

export const DEMO_PASSWORD = 'Balai2026!';
const DAY = 86_400_000;
const MIN = 60_000;

const FIRST = [
  'Ani',
  'Budi',
  'Citra',
  'Dedi',
  'Eka',
  'Fajar',
  'Gita',
  'Hendra',
  'Indah',
  'Joko',
  'Kartika',
  'Lukman',
  'Maya',
  'Nur',
  'Oki',
  'Putri',
  'Rudi',
  'Sari',
  'Taufik',
  'Wulan',
];
const LAST = ['Suryani', 'Santoso', 'Lestari', 'Hidayat', 'Pratama', 'Wijaya', 'Rahmawati', 'Saputra'];
const BUSINESS = [
  'Kripik',
  'Batik',
  'Sepatu',
  'Mebel',
  'Anyaman',
  'Bengkel Las',
  'Sabun',
  'Sablon',
  'Servis Elektronik',
  'Kopi',
];

interface SeedCourse {
  code: string;
  title: string;
  category: string;
  type: CourseType;
  status: CourseStatus;
  capacity: number;
  trainer: number;
  /** Session starts as days from now at 09:00 WIB, 120 minutes each. */
  sessionDays: number[];
  enrolled: number;
  waitlisted: number;
  participantOffset: number;
  registration: [number, number];
}

const COURSES: SeedCourse[] = [
  {
    code: 'PKM-2026-01',
    title: 'Pemasaran Digital untuk IKM',
    category: 'Pemasaran',
    type: 'pelatihan',
    status: 'completed',
    capacity: 25,
    trainer: 0,
    sessionDays: [-30, -29, -28],
    enrolled: 25,
    waitlisted: 0,
    participantOffset: 0,
    registration: [-60, -31],
  },
  {
    code: 'PKM-2026-02',
    title: 'Keamanan Pangan dan Sertifikasi Halal',
    category: 'Mutu dan Sertifikasi',
    type: 'pelatihan',
    status: 'ongoing',
    capacity: 20,
    trainer: 1,
    sessionDays: [-2, -1, 1, 2],
    enrolled: 20,
    waitlisted: 3,
    participantOffset: 15,
    registration: [-20, 3],
  },
  {
    code: 'SOS-2026-03',
    title: 'Sosialisasi Perizinan Berusaha OSS-RBA',
    category: 'Perizinan',
    type: 'sosialisasi',
    status: 'published',
    capacity: 100,
    trainer: 2,
    sessionDays: [10],
    enrolled: 12,
    waitlisted: 0,
    participantOffset: 28,
    registration: [-5, 9],
  },
  {
    code: 'PKM-2026-04',
    title: 'Desain Kemasan Produk',
    category: 'Desain',
    type: 'pelatihan',
    status: 'draft',
    capacity: 30,
    trainer: 0,
    sessionDays: [30, 31],
    enrolled: 0,
    waitlisted: 0,
    participantOffset: 0,
    registration: [14, 28],
  },
];

/** 09:00 Asia/Jakarta (02:00 UTC) on the day `days` from now. */
function wibMorning(days: number): Date {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(2, 0, 0, 0);
  return d;
}

export interface SeedResult {
  admin: string;
  trainers: string[];
  participants: string[];
  courses: Array<{ code: string; id: string; status: CourseStatus }>;
}

export async function seed(uri: string): Promise<SeedResult> {
  const connection = await mongoose
    .createConnection(uri, { serverSelectionTimeoutMS: 5000, autoIndex: true })
    .asPromise();
  try {
    const users = connection.model<User>(User.name, UserSchema);
    const courses = connection.model<Course>(Course.name, CourseSchema);
    const sessions = connection.model<CourseSession>(CourseSession.name, CourseSessionSchema);
    const enrollments = connection.model<Enrollment>(Enrollment.name, EnrollmentSchema);
    const intervals = connection.model<AttendanceInterval>(AttendanceInterval.name, AttendanceIntervalSchema);
    await Promise.all([users.init(), courses.init(), sessions.init(), enrollments.init(), intervals.init()]);

    const passwordHash = await argon2.hash(DEMO_PASSWORD, {
      type: argon2.argon2id,
      memoryCost: 19_456,
      timeCost: 2,
      parallelism: 1,
    });
    const upsertUser = async (
      email: string,
      doc: Omit<User, '_id' | 'email' | 'passwordHash' | 'createdAt' | 'updatedAt' | 'active' | 'locale'>,
    ) => {
      const found = await users
        .findOneAndUpdate(
          { email },
          { $setOnInsert: { email, passwordHash, active: true, locale: 'id', ...doc } },
          { upsert: true, new: true },
        )
        .lean<User>();
      return found!._id;
    };

    await upsertUser('admin@balai.local', { name: 'Admin Dinas Perindustrian', role: 'admin' });
    const trainerNames = ['Dr. Rina Kusuma', 'Agus Setiawan, S.T.', 'Hj. Nining Marlina'];
    const trainerIds: Types.ObjectId[] = [];
    for (let i = 0; i < 3; i++)
      trainerIds.push(await upsertUser(`pelatih${i + 1}@balai.local`, { name: trainerNames[i]!, role: 'trainer' }));

    const participantIds: Types.ObjectId[] = [];
    for (let i = 0; i < 40; i++) {
      const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 3) % LAST.length]}`;
      const sector = SECTOR_CODES[i % SECTOR_CODES.length]!;
      participantIds.push(
        await upsertUser(`peserta${String(i + 1).padStart(2, '0')}@balai.local`, {
          name,
          role: 'participant',
          ikm: {
            businessName: `${BUSINESS[i % BUSINESS.length]} ${name.split(' ')[0]}`,
            ownerName: name,
            nib: String(9120000000000 + i * 7919),
            sector,
            kecamatan: KECAMATAN[(i * 7) % KECAMATAN.length]!,
            address: `Jl. Industri No. ${i + 1}, Kabupaten Bekasi`,
            whatsapp: `+62812${String(10_000_000 + i * 1234).slice(0, 8)}`,
          },
        }),
      );
    }

    const result: SeedResult = { admin: 'admin@balai.local', trainers: [], participants: [], courses: [] };
    for (const spec of COURSES) {
      const trainerId = trainerIds[spec.trainer]!;
      const course = await courses
        .findOneAndUpdate(
          { code: spec.code },
          {
            $setOnInsert: {
              code: spec.code,
              title: spec.title,
              description: `${spec.title}: pelatihan daring Dinas Perindustrian Kabupaten Bekasi untuk pelaku IKM.`,
              category: spec.category,
              type: spec.type,
              status: spec.status,
              trainerIds: [trainerId],
              capacity: spec.capacity,
              seatsTaken: 0,
              enrollmentSeq: 0,
              registrationOpensAt: wibMorning(spec.registration[0]),
              registrationClosesAt: wibMorning(spec.registration[1]),
              lessonHours: spec.type === 'pelatihan' ? spec.sessionDays.length * 4 : 2,
              certificate: newCourseCertificateRules(spec.type),
              location: 'Daring (Balai)',
            },
          },
          { upsert: true, new: true },
        )
        .lean<Course>();
      const courseId = course!._id;
      result.courses.push({ code: spec.code, id: String(courseId), status: course!.status });

      let courseSessions = await sessions.find({ courseId }).sort({ startsAt: 1 }).lean<CourseSession[]>();
      if (courseSessions.length === 0) {
        await sessions.insertMany(
          spec.sessionDays.map((day, n) => {
            const startsAt = wibMorning(day);
            return {
              courseId,
              title: `Sesi ${n + 1}`,
              startsAt,
              endsAt: new Date(startsAt.getTime() + 120 * MIN),
              trainerIds: [trainerId],
              status: day < 0 ? 'ended' : 'scheduled',
            };
          }),
        );
        courseSessions = await sessions.find({ courseId }).sort({ startsAt: 1 }).lean<CourseSession[]>();
      }
      await courses.updateOne(
        { _id: courseId },
        { $set: { startsAt: courseSessions[0]!.startsAt, endsAt: courseSessions[courseSessions.length - 1]!.endsAt } },
      );

      const total = spec.enrolled + spec.waitlisted;
      for (let k = 0; k < total; k++) {
        const userId = participantIds[(spec.participantOffset + k) % participantIds.length]!;
        await enrollments.updateOne(
          { courseId, userId },
          {
            $setOnInsert: {
              _id: enrollmentId(courseId, userId),
              courseId,
              userId,
              status: k < spec.enrolled ? 'enrolled' : 'waitlisted',
              seq: k + 1,
            },
          },
          { upsert: true },
        );
      }
      const seated = await enrollments.countDocuments({ courseId, status: 'enrolled' });
      const lastSeq = (await enrollments.findOne({ courseId }).sort({ seq: -1 }).lean<Enrollment>())?.seq ?? 0;
      await courses.updateOne({ _id: courseId }, { $set: { seatsTaken: seated, enrollmentSeq: lastSeq } });

      // Attendance for sessions that already happened: most stay the whole time, some leave early,
      // a few reconnect, a few never come.
      const seatedList = await enrollments.find({ courseId, status: 'enrolled' }).sort({ seq: 1 }).lean<Enrollment[]>();
      for (const session of courseSessions.filter((s) => s.endsAt.getTime() < Date.now())) {
        for (const [k, e] of seatedList.entries()) {
          const pattern = k % 8;
          if (pattern === 7) continue; // absent
          const start = session.startsAt.getTime();
          const pieces: Array<[number, number]> =
            pattern === 5
              ? [[-5, 50]]
              : pattern === 6
                ? [
                    [0, 40],
                    [45, 120],
                  ]
                : [[-3, 121]];
          for (const [p, [from, to]] of pieces.entries()) {
            const joinEventId = `seed-${String(session._id)}-${String(e.userId)}-${p}`;
            await intervals.updateOne(
              { joinEventId },
              {
                $setOnInsert: {
                  joinEventId,
                  sessionId: session._id,
                  courseId,
                  userId: e.userId,
                  joinedAt: new Date(start + from * MIN),
                  leftAt: new Date(start + to * MIN),
                  leaveEventId: `${joinEventId}-leave`,
                  leaveReason: 'left',
                },
              },
              { upsert: true },
            );
          }
        }
      }
    }
    result.trainers = trainerIds.map((_, i) => `pelatih${i + 1}@balai.local`);
    result.participants = participantIds.map((_, i) => `peserta${String(i + 1).padStart(2, '0')}@balai.local`);
    return result;
  } finally {
    await connection.close();
  }
}

async function main(): Promise<void> {
  const config = parseEnv(apiEnvSchema, process.env);
  const result = await seed(config.MONGODB_URI);
  const lines = [
    'Balai demo data is ready. Logins (password for all: ' + DEMO_PASSWORD + '):',
    `  admin        ${result.admin}`,
    `  trainers     ${result.trainers.join(', ')}`,
    `  participants peserta01@balai.local ... peserta40@balai.local`,
    'Courses:',
    ...result.courses.map((c) => `  ${c.code.padEnd(12)} ${c.status.padEnd(10)} ${c.id}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`seed failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
