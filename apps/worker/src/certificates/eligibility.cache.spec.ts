import type { CertificateEligibility, CourseEligibility } from '@balai/queue';
import { EligibilityCache } from './eligibility.cache';

function snapshot(eligible: boolean): CourseEligibility {
  return {
    courseId: 'c',
    minAttendancePercent: 80,
    certificatesEnabled: true,
    allSessionsEnded: true,
    participants: [{ userId: 'u', attendancePercent: eligible ? 90 : 50, eligible, reason: eligible ? undefined : 'BELOW_THRESHOLD' }],
  };
}

describe('EligibilityCache', () => {
  it('answers eligible participants from one course snapshot', async () => {
    const forCourse = jest.fn(async () => snapshot(true));
    const sut = new EligibilityCache({ forCourse } as unknown as CertificateEligibility);
    await sut.check('c', 'u');
    const verdict = await sut.check('c', 'u');
    expect(verdict?.participant.eligible).toBe(true);
    expect(forCourse).toHaveBeenCalledTimes(1);
    expect(forCourse).toHaveBeenCalledWith('c');
  });

  it('re-reads the database before calling someone ineligible', async () => {
    const forCourse = jest.fn(async (_courseId: string, userIds?: string[]) => (userIds ? snapshot(true) : snapshot(false)));
    const sut = new EligibilityCache({ forCourse } as unknown as CertificateEligibility);
    const verdict = await sut.check('c', 'u');
    expect(verdict?.participant.eligible).toBe(true);
    expect(forCourse).toHaveBeenLastCalledWith('c', ['u']);
  });
});
