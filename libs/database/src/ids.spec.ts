import { Types } from 'mongoose';
import { certificateObjectId, enrollmentId } from './ids';

describe('certificateObjectId', () => {
  const course = new Types.ObjectId().toString();
  const user = new Types.ObjectId().toString();

  it('is the same for the same course and participant', () => {
    expect(certificateObjectId(course, user).equals(certificateObjectId(course, user))).toBe(true);
  });

  it('differs when the participant or the course differs, including swapped ids', () => {
    const other = new Types.ObjectId().toString();
    const ids = [
      certificateObjectId(course, user),
      certificateObjectId(course, other),
      certificateObjectId(other, user),
      certificateObjectId(user, course),
    ];
    expect(new Set(ids.map((id) => id.toString())).size).toBe(4);
  });
});

describe('enrollmentId', () => {
  it('is stable per (course, user) and differs from the certificate id of the pair', () => {
    const course = new Types.ObjectId();
    const user = new Types.ObjectId();
    expect(enrollmentId(course, user).equals(enrollmentId(String(course), String(user)))).toBe(true);
    expect(enrollmentId(course, user).equals(certificateObjectId(course, user))).toBe(false);
  });
});
