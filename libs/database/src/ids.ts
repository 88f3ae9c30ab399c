/**
 * Ids derived from natural keys, so hot lookups are by primary key (MongoDB and
 * FerretDB over PostgreSQL answer them from the index; FerretDB over SQLite
 * scans even for `_id`, only its inserts use the index) and a second document
 * for the same key is refused by the primary key as well as by the unique index. The ObjectId "timestamp" of a derived id is meaningless.
 * Changing a derivation is a data migration.
 */
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';

const derive = (key: string) => new Types.ObjectId(createHash('sha256').update(key).digest().subarray(0, 12));

/** The enrolment of a user in a course. */
export function enrollmentId(courseId: Types.ObjectId | string, userId: Types.ObjectId | string): Types.ObjectId {
  return derive(`${String(courseId)}:${String(userId)}`);
}

/** The certificate of (course, participant). */
export function certificateObjectId(
  courseId: Types.ObjectId | string,
  userId: Types.ObjectId | string,
): Types.ObjectId {
  return derive(`certificate:${String(courseId)}:${String(userId)}`);
}

/** The attendance interval opened by a join event (its leave names the same join, so both reach it by `_id`). */
export function attendanceIntervalId(joinEventId: string): Types.ObjectId {
  return derive(`attendance:${joinEventId}`);
}
