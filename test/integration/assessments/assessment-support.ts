/** Helpers for the assessment tests: a course with questions of every type, and answering through the API. */
import request from 'supertest';
import type { RunningApp } from '../../support/api-app';
import type { TestUser } from '../../support/factories';

export interface BankQuestion {
  id: string;
  type: 'single' | 'multiple' | 'truefalse';
  points: number;
  options: Array<{ id: string; text: string; correct: boolean }>;
}

/** Three questions, one per type, worth 1 + 2 + 1 points. */
export async function createBank(sut: RunningApp, staff: TestUser, courseId: string): Promise<BankQuestion[]> {
  const specs = [
    {
      type: 'single',
      text: 'Apa fungsi label kemasan?',
      points: 1,
      options: [
        { text: 'Informasi produk', correct: true },
        { text: 'Hiasan', correct: false },
        { text: 'Pemberat', correct: false },
      ],
    },
    {
      type: 'multiple',
      text: 'Yang wajib ada di label?',
      points: 2,
      options: [
        { text: 'Nama produk', correct: true },
        { text: 'Tanggal kedaluwarsa', correct: true },
        { text: 'Nama karyawan', correct: false },
      ],
    },
    {
      type: 'truefalse',
      text: 'PIRT diperlukan untuk pangan olahan rumah tangga.',
      points: 1,
      options: [
        { text: 'Benar', correct: true },
        { text: 'Salah', correct: false },
      ],
    },
  ];
  const out: BankQuestion[] = [];
  for (const spec of specs) {
    const res = await request(sut.url)
      .post(`/api/courses/${courseId}/questions`)
      .set(staff.auth)
      .send(spec)
      .expect(201);
    out.push(res.body as BankQuestion);
  }
  return out;
}

export const correctIds = (q: BankQuestion) => q.options.filter((o) => o.correct).map((o) => o.id);
export const wrongIds = (q: BankQuestion) => [q.options.find((o) => !o.correct)!.id];

export async function start(
  sut: RunningApp,
  user: TestUser,
  courseId: string,
  kind: 'pre' | 'post',
  expected?: number,
) {
  const res = await request(sut.url).post(`/api/courses/${courseId}/tests/${kind}/attempts`).set(user.auth);
  if (expected) expect(res.status).toBe(expected);
  return res;
}

export function save(sut: RunningApp, user: TestUser, attemptId: string, questionId: string, optionIds: string[]) {
  return request(sut.url).put(`/api/attempts/${attemptId}/answers/${questionId}`).set(user.auth).send({ optionIds });
}

export function submit(sut: RunningApp, user: TestUser, attemptId: string) {
  return request(sut.url).post(`/api/attempts/${attemptId}/submit`).set(user.auth);
}

/** Answers every question of a started attempt right (or wrong for the ids in `wrong`) and submits. */
export async function takeTest(
  sut: RunningApp,
  user: TestUser,
  courseId: string,
  kind: 'pre' | 'post',
  bank: BankQuestion[],
  wrong: string[] = [],
) {
  const attempt = (await start(sut, user, courseId, kind)).body as { id: string };
  for (const q of bank)
    await save(sut, user, attempt.id, q.id, wrong.includes(q.id) ? wrongIds(q) : correctIds(q)).expect(200);
  return (await submit(sut, user, attempt.id).expect(200)).body as { percent: number; score: number };
}
