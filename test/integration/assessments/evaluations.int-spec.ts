/** The evaluation survey: default form, one anonymous response per participant, aggregate reports (issue 11). */
import { Types } from 'mongoose';
import request from 'supertest';
import { EvaluationResponse, EvaluationSubmission } from '@balai/database';
import { DEFAULT_EVALUATION_ITEMS } from '@balai/domain/assessment';
import { RunningApp, startApiApp } from '../../support/api-app';
import { createCourse, createSession, createUser, enrolDirect, inDays, model, TestUser } from '../../support/factories';

jest.setTimeout(120_000);

const rateAll = (value: number | ((i: number) => number)) =>
  DEFAULT_EVALUATION_ITEMS.map((item, i) => ({ itemId: item.id, value: typeof value === 'number' ? value : value(i) }));

describe('evaluation survey', () => {
  let sut: RunningApp;
  let admin: TestUser;
  let trainer: TestUser;
  let courseId: string;
  const people: TestUser[] = [];

  beforeAll(async () => {
    sut = await startApiApp();
    admin = await createUser(sut.app, 'admin');
    trainer = await createUser(sut.app, 'trainer');
    courseId = (await createCourse(sut.app, { trainerIds: [trainer.id] })).id;
    await createSession(sut.app, courseId, new Date(Date.now() - 3 * 3600_000), 120);
    for (let i = 0; i < 3; i += 1) {
      const p = await createUser(sut.app, 'participant', { name: `Peserta Evaluasi ${i}` });
      await enrolDirect(sut.app, courseId, p.id);
      people.push(p);
    }
  });
  afterAll(() => sut.close());

  const submit = (user: TestUser, body: object, course = courseId) =>
    request(sut.url).post(`/api/courses/${course}/evaluation/responses`).set(user.auth).send(body);

  it('serves the default Likert form (material, trainer, organisation, facilities)', async () => {
    const form = (await request(sut.url).get(`/api/courses/${courseId}/evaluation`).set(people[0]!.auth).expect(200))
      .body;
    expect(form).toMatchObject({ isDefault: true, submitted: false });
    expect(new Set(form.items.map((i: { category: string }) => i.category))).toEqual(
      new Set(['material', 'trainer', 'organisation', 'facilities']),
    );
  });

  it('takes one response per participant; a second is a 409; incomplete or out-of-range is a 400', async () => {
    const p = people[0]!;
    expect((await submit(p, { ratings: rateAll(1).slice(1) })).body).toMatchObject({
      statusCode: 400,
      error: 'EVALUATION_INCOMPLETE',
    });
    expect((await submit(p, { ratings: rateAll(6) })).status).toBe(400);
    expect((await submit(p, { ratings: [...rateAll(3), { itemId: 'tidak-ada', value: 3 }] })).status).toBe(400);
    expect((await submit(p, { ratings: rateAll(3), comment: 5 })).status).toBe(400);
    await submit(p, {
      ratings: rateAll((i) => (i % 5) + 1),
      comment: 'Materi sangat bermanfaat untuk usaha kami.',
    }).expect(201);
    const again = await submit(p, { ratings: rateAll(5) });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('EVALUATION_ALREADY_SUBMITTED');
    expect(
      (await request(sut.url).get(`/api/courses/${courseId}/evaluation`).set(p.auth).expect(200)).body.submitted,
    ).toBe(true);
    // Concurrent double submit: one response.
    const q = people[1]!;
    const results = await Promise.all([
      submit(q, { ratings: rateAll(4), comment: 'Jaringan kadang putus.' }),
      submit(q, { ratings: rateAll(4), comment: 'Jaringan kadang putus.' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    await submit(people[2]!, { ratings: rateAll(5) }).expect(201);
    expect(
      await model(sut.app, EvaluationResponse.name).countDocuments({ courseId: new Types.ObjectId(courseId) }),
    ).toBe(3);
  });

  it('reports averages per item and category with comments, and no route says who wrote what', async () => {
    const report = (
      await request(sut.url).get(`/api/courses/${courseId}/evaluation/report`).set(trainer.auth).expect(200)
    ).body;
    expect(report).toMatchObject({ responses: 3, enrolled: 3 });
    const first = report.items.find((i: { id: string }) => i.id === DEFAULT_EVALUATION_ITEMS[0]!.id);
    // Ratings 1, 4, 5 for the first item.
    expect(first).toMatchObject({ count: 3, average: 3.33, distribution: [1, 0, 0, 1, 1] });
    expect(report.comments.sort()).toEqual(['Jaringan kadang putus.', 'Materi sangat bermanfaat untuk usaha kami.']);
    const csv = await request(sut.url)
      .get(`/api/courses/${courseId}/evaluation/report/csv`)
      .set(admin.auth)
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toContain('Materi sangat bermanfaat');

    // Anonymity: nothing any role can read links a person to an answer.
    const bodies = [
      JSON.stringify(report),
      csv.text,
      JSON.stringify(
        (await request(sut.url).get(`/api/courses/${courseId}/evaluation`).set(admin.auth).expect(200)).body,
      ),
      JSON.stringify(
        (
          await request(sut.url).get(`/api/courses/${courseId}/assessment-report`).set(admin.auth).expect(200)
        ).body.participants.map((p: Record<string, unknown>) => ({ ...p, userId: undefined, name: undefined })),
      ),
    ];
    for (const body of bodies) {
      for (const p of people) {
        expect(body).not.toContain(p.id);
        expect(body).not.toContain(p.name);
      }
    }
    // The assessment report only knows the fact of submitting, never the answers.
    const rows = (await request(sut.url).get(`/api/courses/${courseId}/assessment-report`).set(admin.auth).expect(200))
      .body.participants;
    expect(rows.every((r: { evaluationSubmitted: boolean }) => r.evaluationSubmitted)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('bermanfaat');
    // Stored data: responses carry no person, no time; submissions carry no answers.
    const stored = await model(sut.app, EvaluationResponse.name)
      .find({ courseId: new Types.ObjectId(courseId) })
      .lean();
    for (const r of stored) {
      expect(Object.keys(r).sort()).toEqual(['_id', 'comment', 'courseId', 'ratings']);
      expect(typeof r._id).toBe('string');
    }
    const subs = await model(sut.app, EvaluationSubmission.name)
      .find({ courseId: new Types.ObjectId(courseId) })
      .lean();
    expect(subs).toHaveLength(3);
    for (const s of subs) expect(Object.keys(s).sort()).toEqual(['_id', 'courseId', 'submittedAt', 'userId']);
  });

  it('withholds averages and comments until 3 people answered (anonymity of small groups)', async () => {
    const small = (await createCourse(sut.app, { trainerIds: [trainer.id] })).id;
    await createSession(sut.app, small, new Date(Date.now() - 3 * 3600_000), 120);
    const few: TestUser[] = [];
    for (let i = 0; i < 3; i += 1) {
      const p = await createUser(sut.app, 'participant');
      await enrolDirect(sut.app, small, p.id);
      few.push(p);
    }
    const read = async () =>
      (await request(sut.url).get(`/api/courses/${small}/evaluation/report`).set(trainer.auth).expect(200)).body;
    const csv = async () =>
      (await request(sut.url).get(`/api/courses/${small}/evaluation/report/csv`).set(admin.auth).expect(200)).text;
    expect(await read()).toMatchObject({ responses: 0, withheld: true, minResponses: 3, comments: [] });
    await submit(few[0]!, { ratings: rateAll(1), comment: 'Pelatihnya terlambat datang.' }, small).expect(201);
    await submit(few[1]!, { ratings: rateAll(5), comment: 'Sangat membantu.' }, small).expect(201);
    const two = await read();
    expect(two).toMatchObject({ responses: 2, withheld: true, comments: [] });
    expect(two.items.every((i: { average: unknown; count: number }) => i.average === null && i.count === 0)).toBe(true);
    expect(two.categories.every((c: { average: unknown }) => c.average === null)).toBe(true);
    expect(JSON.stringify(two)).not.toContain('terlambat');
    expect(await csv()).not.toContain('terlambat');
    await submit(few[2]!, { ratings: rateAll(3) }, small).expect(201);
    const three = await read();
    expect(three).toMatchObject({ responses: 3, withheld: false });
    expect(three.items[0]).toMatchObject({ count: 3, average: 3 });
    expect(three.comments.sort()).toEqual(['Pelatihnya terlambat datang.', 'Sangat membantu.']);
    expect(await csv()).toContain('terlambat');
  });

  it('only enrolled participants answer, only staff read the report, only admins edit the form; edits lock once answered', async () => {
    const outsider = await createUser(sut.app, 'participant');
    const otherTrainer = await createUser(sut.app, 'trainer');
    expect((await submit(outsider, { ratings: rateAll(3) })).status).toBe(403);
    expect((await submit(trainer, { ratings: rateAll(3) })).status).toBe(403);
    await request(sut.url).get(`/api/courses/${courseId}/evaluation/report`).set(people[0]!.auth).expect(403);
    await request(sut.url).get(`/api/courses/${courseId}/evaluation/report`).set(otherTrainer.auth).expect(403);
    await request(sut.url).get(`/api/courses/${courseId}/evaluation/report`).expect(401);
    const items = [{ id: 'materi', category: 'material', text: 'Materi bermanfaat' }];
    await request(sut.url)
      .put(`/api/courses/${courseId}/evaluation/form`)
      .set(trainer.auth)
      .send({ items })
      .expect(403);
    expect(
      (await request(sut.url).put(`/api/courses/${courseId}/evaluation/form`).set(admin.auth).send({ items })).body
        .error,
    ).toBe('EVALUATION_LOCKED');

    const fresh = (await createCourse(sut.app, { trainerIds: [trainer.id] })).id;
    await createSession(sut.app, fresh, inDays(2));
    const p = await createUser(sut.app, 'participant');
    await enrolDirect(sut.app, fresh, p.id);
    const bad = await request(sut.url)
      .put(`/api/courses/${fresh}/evaluation/form`)
      .set(admin.auth)
      .send({ items: [{ id: 'Bad Id', category: 'material', text: 'x' }] });
    expect(bad.status).toBe(400);
    await request(sut.url)
      .put(`/api/courses/${fresh}/evaluation/form`)
      .set(admin.auth)
      .send({ items: [...items, items[0]] })
      .expect(400);
    const edited = (
      await request(sut.url).put(`/api/courses/${fresh}/evaluation/form`).set(admin.auth).send({ items }).expect(200)
    ).body;
    expect(edited).toMatchObject({ isDefault: false, items });
    // Not before the course has started.
    expect((await submit(p, { ratings: [{ itemId: 'materi', value: 4 }] }, fresh)).body.error).toBe(
      'EVALUATION_NOT_OPEN',
    );
  });
});
