import type { CourseEligibility, EligibilityRepository } from '@balai/database';
import { EligibilityCache } from './eligibility.cache';

function snapshot(eligible: boolean): CourseEligibility {
  return {
    courseId: 'c',
    minAttendancePercent: 80,
    certificatesEnabled: true,
    scheduledMinutes: 120,
    sessionCount: 1,
    allSessionsEnded: true,
    participants: [
      {
        userId: 'u',
        attendancePercent: eligible ? 90 : 50,
        attendedMinutes: eligible ? 108 : 60,
        sessionsAttended: 1,
        eligible,
        reason: eligible ? undefined : 'BELOW_THRESHOLD',
      },
    ],
  };
}

describe('EligibilityCache', () => {
  it('answers eligible participants from one course snapshot', async () => {
    const forCourse = jest.fn(async () => snapshot(true));
    const sut = new EligibilityCache({ forCourse } as unknown as EligibilityRepository);
    await sut.check('c', 'u');
    const verdict = await sut.check('c', 'u');
    expect(verdict?.participant.eligible).toBe(true);
    expect(forCourse).toHaveBeenCalledTimes(1);
    expect(forCourse).toHaveBeenCalledWith('c');
  });

  it('re-reads the database before calling someone ineligible', async () => {
    const forCourse = jest.fn(async (_courseId: string, userIds?: string[]) =>
      userIds ? snapshot(true) : snapshot(false),
    );
    const sut = new EligibilityCache({ forCourse } as unknown as EligibilityRepository);
    const verdict = await sut.check('c', 'u');
    expect(verdict?.participant.eligible).toBe(true);
    expect(forCourse).toHaveBeenLastCalledWith('c', ['u']);
  });
});
