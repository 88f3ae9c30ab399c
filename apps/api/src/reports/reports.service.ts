import { Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import {
  certificateRules,
  KECAMATAN,
  meetsAttendanceThreshold,
  SECTORS,
  Sector,
  summarizeAttendance,
} from '@balai/domain';
import { badRequest } from '../common/errors';
import { AttendanceCalculator } from '../attendance/attendance.calculator';
import { AttendanceRepository } from '../attendance/attendance.repository';
import { CourseAccess } from '../courses/course-access';
import { CourseFilter, CourseRecord, CourseRepository } from '../courses/course.repository';
import { EnrollmentRecord, EnrollmentRepository } from '../enrollments/enrollment.repository';
import { SessionRecord, SessionRepository } from '../sessions/session.repository';
import { UserRecord, UserRepository } from '../users/user.repository';
import { CertificateReadRepository } from './certificate-read.repository';
import {
  CourseReportDto,
  CourseReportParticipantDto,
  CourseSummaryDto,
  ParticipationQueryDto,
  ParticipationReportDto,
  ParticipationRowDto,
  ReportQueryDto,
} from './dto/report.dto';

interface Dataset {
  courses: CourseRecord[];
  enrollments: EnrollmentRecord[];
  users: Map<string, UserRecord>;
  reports: Map<string, CourseReportDto>;
}

/**
 * Reports for the Dinas. Built in the API from a few indexed queries rather
 * than with `$lookup` (not available on FerretDB); the per-course work is
 * linear in enrolments and attendance intervals.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly courses: CourseRepository,
    private readonly sessions: SessionRepository,
    private readonly enrollments: EnrollmentRepository,
    private readonly intervals: AttendanceRepository,
    private readonly users: UserRepository,
    private readonly certificates: CertificateReadRepository,
    private readonly access: CourseAccess,
  ) {}

  async course(courseId: string): Promise<CourseReportDto> {
    const course = await this.access.load(courseId);
    const data = await this.load([course]);
    return data.reports.get(courseId)!;
  }

  async courseSummaries(query: ReportQueryDto): Promise<CourseSummaryDto[]> {
    const data = await this.load(await this.courses.findMany(this.filter(query)));
    return [...data.reports.values()].map(({ participants: _participants, ...summary }) => summary);
  }

  async participation(query: ParticipationQueryDto): Promise<ParticipationReportDto> {
    const data = await this.load(await this.courses.findMany(this.filter(query)));
    // People columns count each person once per row (a person in two courses who attended both is one
    // "attended at least once"), so none of them can exceed `participants`; `enrollments` counts enrolments.
    type People = Record<'participants' | 'attended' | 'met' | 'certified', Set<string>>;
    type Group = {
      group: string;
      label: string;
      enrollments: number;
      enrollmentsAttended: number;
      enrollmentsMet: number;
      enrollmentsCertified: number;
      people: People;
    };
    const groups = new Map<string, Group>();
    const keys = query.groupBy === 'sector' ? (Object.keys(SECTORS) as string[]) : [...KECAMATAN];
    for (const key of keys) {
      const label = query.groupBy === 'sector' ? SECTORS[key as Sector].id : key;
      const sets: People = { participants: new Set(), attended: new Set(), met: new Set(), certified: new Set() };
      groups.set(key, {
        group: key,
        label,
        enrollments: 0,
        enrollmentsAttended: 0,
        enrollmentsMet: 0,
        enrollmentsCertified: 0,
        people: sets,
      });
    }
    for (const report of data.reports.values()) {
      for (const p of report.participants) {
        const key = (query.groupBy === 'sector' ? p.sector : p.kecamatan) ?? 'other';
        const row = groups.get(key);
        if (!row) continue;
        row.people.participants.add(p.userId);
        row.enrollments += 1;
        if (p.attendedAtLeastOnce) {
          row.people.attended.add(p.userId);
          row.enrollmentsAttended += 1;
        }
        if (p.metThreshold) {
          row.people.met.add(p.userId);
          row.enrollmentsMet += 1;
        }
        if (p.certified) {
          row.people.certified.add(p.userId);
          row.enrollmentsCertified += 1;
        }
      }
    }
    const rows: ParticipationRowDto[] = [...groups.values()].map((g) => ({
      group: g.group,
      label: g.label,
      participants: g.people.participants.size,
      enrollments: g.enrollments,
      attendedAtLeastOnce: g.people.attended.size,
      metThreshold: g.people.met.size,
      certified: g.people.certified.size,
      enrollmentsAttended: g.enrollmentsAttended,
      enrollmentsMetThreshold: g.enrollmentsMet,
      enrollmentsCertified: g.enrollmentsCertified,
    }));
    return { groupBy: query.groupBy, courseCount: data.courses.length, rows };
  }

  private filter(query: ReportQueryDto): CourseFilter {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from > to)
      throw badRequest('INVALID_RANGE', {
        id: 'Tanggal "dari" harus sebelum "sampai".',
        en: '"from" must be before "to".',
      });
    return { from, to, type: query.type, statuses: query.status ? [query.status] : undefined };
  }

  private async load(courses: CourseRecord[]): Promise<Dataset> {
    const ids = courses.map((c) => c._id);
    if (!ids.length) return { courses, enrollments: [], users: new Map(), reports: new Map() };
    const [sessions, enrollments, intervals, certificates] = await Promise.all([
      this.sessions.byCourses(ids),
      this.enrollments.byCourses(ids, ['enrolled', 'waitlisted']),
      this.intervals.byCourses(ids),
      this.certificates.validByCourses(ids),
    ]);
    const userIds = [...new Set(enrollments.map((e) => String(e.userId)))].map((id) => new Types.ObjectId(id));
    const users = new Map(
      (userIds.length ? await this.users.findManyByIds(userIds) : []).map((u) => [String(u._id), u]),
    );
    const certByKey = new Map(certificates.map((c) => [`${String(c.courseId)}:${String(c.userId)}`, c.number]));
    const reports = new Map<string, CourseReportDto>();
    for (const course of courses) {
      const id = String(course._id);
      const courseSessions = sessions.filter((s: SessionRecord) => String(s.courseId) === id);
      const counted = AttendanceCalculator.counted(courseSessions);
      const perUser = AttendanceCalculator.perUser(
        counted,
        intervals.filter((i) => String(i.courseId) === id),
      );
      const absent = summarizeAttendance(counted, undefined);
      const rules = certificateRules(course.certificate);
      const mine = enrollments.filter((e) => String(e.courseId) === id);
      const participants: CourseReportParticipantDto[] = mine
        .filter((e) => e.status === 'enrolled')
        .map((e) => {
          const userId = String(e.userId);
          const u = users.get(userId);
          const a = perUser.get(userId) ?? absent;
          const number = certByKey.get(`${id}:${userId}`);
          return {
            userId,
            name: u?.name ?? '',
            businessName: u?.ikm?.businessName,
            sector: u?.ikm?.sector,
            kecamatan: u?.ikm?.kecamatan,
            attendancePercent: a.percent,
            attendedAtLeastOnce: a.sessionsAttended > 0,
            metThreshold: meetsAttendanceThreshold(rules, counted, a),
            certified: number !== undefined,
            certificateNumber: number,
          };
        })
        .sort((x, y) => x.name.localeCompare(y.name, 'id') || x.userId.localeCompare(y.userId));
      reports.set(id, {
        courseId: id,
        code: course.code,
        title: course.title,
        type: course.type,
        status: course.status,
        capacity: course.capacity,
        enrolled: participants.length,
        waitlisted: mine.filter((e) => e.status === 'waitlisted').length,
        attendedAtLeastOnce: participants.filter((p) => p.attendedAtLeastOnce).length,
        metThreshold: participants.filter((p) => p.metThreshold).length,
        certified: participants.filter((p) => p.certified).length,
        minAttendancePercent: rules.minAttendancePercent,
        startsAt: course.startsAt ? course.startsAt.toISOString() : null,
        participants,
      });
    }
    return { courses, enrollments, users, reports };
  }
}
