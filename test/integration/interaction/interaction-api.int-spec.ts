/**
 * The REST side of issue 12 with the real API and live apps on one database:
 * polls prepared on the course page and launched in the room, the session's
 * Q&A and poll results afterwards (staff see everything; participants what
 * the room showed them), the CSV exports, and the role checks.
 */
import request from 'supertest';
import { RunningApp, startApiApp } from '../../support/api-app';
import { LiveClient, RunningLive, startLiveApp, TestCourse, TestUser } from '../../support/live-app';
import { eventually } from '../../support/wait';

jest.setTimeout(120_000);

const auth = (u: { token: string }) => ({ Authorization: `Bearer ${u.token}` });

describe('interaction REST: prepared polls, session results, CSV', () => {
  let api: RunningApp;
  let live: RunningLive;
  let course: TestCourse;
  let asker: TestUser;
  let voter: TestUser;
  let otherTrainer: TestUser;
  const clients: LiveClient[] = [];
  let questionIds: { anon: string; named: string; dismissed: string };
  let pollIds: { revealed: string; hidden: string };

  async function joined(token: string): Promise<LiveClient> {
    const c = await LiveClient.connect(live.url, token);
    clients.push(c);
    await c.ok('room:join', { sessionId: course.sessionId });
    await c.ok('interaction:sync', {});
    return c;
  }

  beforeAll(async () => {
    live = await startLiveApp();
    api = await startApiApp();
    course = await live.factory.course();
    asker = await live.factory.participant(course);
    voter = await live.factory.participant(course);
    otherTrainer = await live.factory.user('trainer');
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await api?.close();
    await live?.close();
  });

  it('the course trainer prepares polls; others are refused; bad input is a 400 in the error shape', async () => {
    const base = `/api/courses/${course.courseId}/polls`;
    const created = await request(api.url)
      .post(base)
      .set(auth(course.trainer))
      .send({ question: '  Materi mana paling berguna? ', options: ['Perizinan', 'Pemasaran', 'Keuangan'] })
      .expect(201);
    expect(created.body).toMatchObject({
      question: 'Materi mana paling berguna?',
      status: 'prepared',
      multiple: false,
      allowChange: true,
      counts: null,
    });
    const second = await request(api.url)
      .post(base)
      .set(auth(course.trainer))
      .send({ question: 'Hapus saya', options: ['A', 'B'], multiple: true, allowChange: false })
      .expect(201);
    await request(api.url)
      .post(base)
      .set(auth(asker))
      .send({ question: 'x', options: ['a', 'b'] })
      .expect(403);
    await request(api.url).get(base).set(auth(otherTrainer)).expect(403);
    const bad = await request(api.url)
      .post(base)
      .set(auth(course.trainer))
      .send({ question: 'x', options: ['satu'] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ statusCode: 400, error: expect.any(String), message: expect.any(String) });
    await request(api.url)
      .post(base)
      .set(auth(course.trainer))
      .send({ question: 'x', options: ['a', 'b'], extra: 1 })
      .expect(400);
    await request(api.url)
      .delete(`${base}/${second.body.id as string}`)
      .set(auth(course.trainer))
      .expect(204);
    await request(api.url)
      .delete(`${base}/${second.body.id as string}`)
      .set(auth(course.trainer))
      .expect(404);
    const list = await request(api.url).get(base).set(auth(course.trainer)).expect(200);
    expect(list.body.map((p: { id: string }) => p.id)).toEqual([created.body.id]);
  });

  it('a live session: the prepared poll is launched, questions asked; results are on the session page', async () => {
    const host = await joined(course.trainer.token);
    const a = await joined(asker.token);
    const v = await joined(voter.token);
    const prepared = (await host.ok('interaction:sync', {})).prepared;
    expect(prepared).toHaveLength(1);
    const launched = await host.ok('poll:launch', { pollId: prepared[0].id });
    await a.ok('poll:vote', { pollId: launched.id, choices: [0] });
    await v.ok('poll:vote', { pollId: launched.id, choices: [2] });
    await host.ok('poll:reveal', { pollId: launched.id, revealed: true });
    await host.ok('poll:close', { pollId: launched.id });
    const hidden = await host.ok('poll:create', { question: 'Rahasia?', options: ['Ya', 'Tidak'] });
    await v.ok('poll:vote', { pollId: hidden.id, choices: [1] });
    pollIds = { revealed: launched.id, hidden: hidden.id };

    const anon = await a.ok('qna:ask', { text: 'Apakah ada pendampingan, "gratis"?', anonymous: true });
    const named = await v.ok('qna:ask', { text: '=SUM(A1) berapa biaya?' });
    const dismissed = await v.ok('qna:ask', { text: 'Tidak relevan' });
    await v.ok('qna:upvote', { questionId: anon.id, up: true });
    await a.ok('qna:upvote', { questionId: anon.id, up: true });
    await host.ok('qna:answer', { questionId: anon.id, answer: 'Ya, lewat klinik IKM.' });
    await host.ok('qna:dismiss', { questionId: dismissed.id });
    questionIds = { anon: anon.id, named: named.id, dismissed: dismissed.id };

    // Votes and upvotes are stored right after their acks (batched): read until they are all in.
    const staff = await eventually(
      () => request(api.url).get(`/api/sessions/${course.sessionId}/interaction`).set(auth(course.trainer)),
      (r) =>
        r.status === 200 &&
        (r.body as { questions: Array<{ upvotes: number }> }).questions[0]?.upvotes === 2 &&
        (r.body as { polls: Array<{ voters: number | null }> }).polls.every((p) => p.voters !== null && p.voters > 0),
    );
    expect(staff.body.questions.map((q: { id: string }) => q.id)).toEqual([anon.id, named.id, dismissed.id]);
    expect(staff.body.questions[0]).toMatchObject({
      authorName: asker.name,
      anonymous: true,
      upvotes: 2,
      status: 'answered',
      answer: 'Ya, lewat klinik IKM.',
    });
    const byId = Object.fromEntries(staff.body.polls.map((p: { id: string }) => [p.id, p]));
    expect(byId[launched.id]).toMatchObject({ status: 'closed', counts: [1, 0, 1], voters: 2, revealed: true });
    expect(byId[hidden.id]).toMatchObject({ status: 'open', counts: [0, 1], voters: 1, revealed: false });

    const mine = await request(api.url)
      .get(`/api/sessions/${course.sessionId}/interaction`)
      .set(auth(voter))
      .expect(200);
    expect(mine.body.questions.map((q: { id: string }) => q.id)).toEqual([anon.id, named.id]);
    expect(mine.body.questions[0].authorName).toBeNull();
    expect(JSON.stringify(mine.body)).not.toContain(asker.name);
    const theirs = Object.fromEntries(mine.body.polls.map((p: { id: string }) => [p.id, p]));
    expect(theirs[launched.id]).toMatchObject({ counts: [1, 0, 1] });
    expect(theirs[hidden.id]).toMatchObject({ counts: null, voters: null });

    await request(api.url).get(`/api/sessions/${course.sessionId}/interaction`).set(auth(otherTrainer)).expect(403);
    await request(api.url)
      .get(`/api/sessions/ffffffffffffffffffffffff/interaction`)
      .set(auth(course.trainer))
      .expect(404);
    await request(api.url).get(`/api/sessions/nope/interaction`).set(auth(course.trainer)).expect(400);
  });

  it('exports the Q&A and the poll results as CSV (staff only)', async () => {
    const q = await request(api.url)
      .get(`/api/sessions/${course.sessionId}/interaction/questions.csv`)
      .set(auth(course.trainer))
      .expect(200)
      .expect('Content-Type', /text\/csv/);
    const lines = q.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('question_id,asked_at,asker,anonymous,question,upvotes,status,answer');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(`${questionIds.anon},`);
    expect(lines[1]).toContain(
      `,${asker.name},ya,"Apakah ada pendampingan, ""gratis""?",2,dijawab,"Ya, lewat klinik IKM."`,
    );
    expect(lines[1]).toMatch(/\+07:00/);
    // A formula-looking question is neutralised for spreadsheets.
    expect(lines[2]).toContain(`'=SUM(A1) berapa biaya?`);
    expect(lines[3]).toContain('diabaikan');

    const p = await request(api.url)
      .get(`/api/sessions/${course.sessionId}/interaction/polls.csv`)
      .set(auth(course.trainer))
      .expect(200);
    const rows = p.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(rows[0]).toBe('poll_id,question,status,opened_at,closed_at,voters,option,votes,percent');
    expect(rows.filter((r) => r.startsWith(pollIds.revealed))).toEqual([
      expect.stringMatching(/,closed,.*,2,Perizinan,1,50$/),
      expect.stringMatching(/,2,Pemasaran,0,0$/),
      expect.stringMatching(/,2,Keuangan,1,50$/),
    ]);
    expect(rows.filter((r) => r.startsWith(pollIds.hidden))).toHaveLength(2);

    for (const path of ['questions.csv', 'polls.csv']) {
      const refused = await request(api.url)
        .get(`/api/sessions/${course.sessionId}/interaction/${path}`)
        .set(auth(voter))
        .expect(403);
      expect(refused.body).toMatchObject({ statusCode: 403, error: 'FORBIDDEN' });
    }
  });
});
