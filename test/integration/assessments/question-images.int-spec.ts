/** An optional image per question, uploaded (GridFS), checked by its bytes, served with access checks (issue 11). */
import request from 'supertest';
import { RunningApp, startApiApp } from '../../support/api-app';
import { createCourse, createSession, createUser, enrolDirect, inDays, TestUser } from '../../support/factories';
import { createBank, start } from './assessment-support';

jest.setTimeout(120_000);

// 1x1 images, real files of each accepted type.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const WEBP = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 0), Buffer.from([0xff, 0xd9])]);
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('question images', () => {
  let sut: RunningApp;
  let trainer: TestUser;
  let otherTrainer: TestUser;
  let participant: TestUser;
  let outsider: TestUser;
  let courseId: string;
  let questionId: string;

  beforeAll(async () => {
    sut = await startApiApp();
    trainer = await createUser(sut.app, 'trainer');
    otherTrainer = await createUser(sut.app, 'trainer');
    participant = await createUser(sut.app, 'participant');
    outsider = await createUser(sut.app, 'participant');
    courseId = (await createCourse(sut.app, { trainerIds: [trainer.id] })).id;
    await createSession(sut.app, courseId, inDays(2), 120, [trainer.id]);
    await enrolDirect(sut.app, courseId, participant.id);
    questionId = (await createBank(sut, trainer, courseId))[0]!.id;
  });
  afterAll(() => sut.close());

  const upload = (user: TestUser, file: Buffer, name: string, qid = questionId, course = courseId) =>
    request(sut.url)
      .post(`/api/courses/${course}/questions/${qid}/image`)
      .set(user.auth)
      .attach('file', file, { filename: name, contentType: 'image/png' });
  const fetchImage = (url: string, user?: TestUser) => {
    const r = request(sut.url).get(url).buffer(true).parse(binary);
    return user ? r.set(user.auth) : r;
  };

  it('uploads a PNG, links it to the question, and serves it to staff and to the participant taking the test', async () => {
    const res = await upload(trainer, PNG, 'gambar.png').expect(200);
    expect(res.body.imageUrl).toMatch(/^\/api\/question-images\/[0-9a-f]{24}$/);
    const url = res.body.imageUrl as string;
    const asTrainer = await fetchImage(url, trainer).expect(200);
    expect(asTrainer.headers['content-type']).toBe('image/png');
    expect(asTrainer.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(asTrainer.body as Buffer, PNG)).toBe(0);

    const attempt = (await start(sut, participant, courseId, 'pre', 201)).body;
    const shown = attempt.questions.find((q: { id: string }) => q.id === questionId);
    expect(shown.imageUrl).toBe(url);
    expect(Buffer.compare((await fetchImage(url, participant).expect(200)).body as Buffer, PNG)).toBe(0);

    // Not enrolled, another course's trainer, no token, an unknown id.
    expect((await fetchImage(url, outsider)).status).toBe(403);
    expect((await fetchImage(url, otherTrainer)).status).toBe(403);
    expect((await fetchImage(url)).status).toBe(401);
    const missing = await request(sut.url).get('/api/question-images/0123456789abcdef01234567').set(trainer.auth);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ statusCode: 404, error: 'NOT_FOUND' });
    expect((await request(sut.url).get('/api/question-images/bukan-id').set(trainer.auth)).status).toBe(400);
  });

  it('accepts JPEG and WebP by their bytes; refuses other content whatever its name or declared type (415), too large (413), none (400)', async () => {
    expect((await upload(trainer, JPEG, 'foto.jpg').expect(200)).body.imageUrl).toBeDefined();
    const webp = (await upload(trainer, WEBP, 'gambar.webp').expect(200)).body.imageUrl as string;
    expect((await fetchImage(webp, trainer).expect(200)).headers['content-type']).toBe('image/webp');
    // Declared image/png and named .png, but a GIF / a script / an SVG inside.
    for (const [bytes, name] of [
      [GIF, 'animasi.png'],
      [Buffer.from('<script>alert(1)</script>'), 'gambar.png'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'gambar.svg'],
      [Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt '), 'suara.webp'],
    ] as const) {
      const res = await upload(trainer, bytes, name);
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ statusCode: 415, error: 'UNSUPPORTED_FILE_TYPE' });
    }
    const big = await upload(trainer, Buffer.concat([PNG, Buffer.alloc(3 * 1024 * 1024)]), 'besar.png');
    expect(big.status).toBe(413);
    expect(big.body.statusCode).toBe(413);
    const none = await request(sut.url)
      .post(`/api/courses/${courseId}/questions/${questionId}/image`)
      .set(trainer.auth);
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ statusCode: 400, error: 'FILE_REQUIRED' });
    // The question still shows the last good image.
    const bank = (await request(sut.url).get(`/api/courses/${courseId}/questions`).set(trainer.auth).expect(200)).body;
    expect(bank.find((q: { id: string }) => q.id === questionId).imageUrl).toBe(webp);
  });

  it('only the course staff upload or remove; removing unlinks the image', async () => {
    expect((await upload(otherTrainer, PNG, 'a.png')).status).toBe(403);
    expect((await upload(participant, PNG, 'a.png')).status).toBe(403);
    expect((await upload(trainer, PNG, 'a.png', '0123456789abcdef01234567')).status).toBe(404);
    await request(sut.url)
      .delete(`/api/courses/${courseId}/questions/${questionId}/image`)
      .set(otherTrainer.auth)
      .expect(403);
    const cleared = await request(sut.url)
      .delete(`/api/courses/${courseId}/questions/${questionId}/image`)
      .set(trainer.auth)
      .expect(200);
    expect(cleared.body.imageUrl).toBeUndefined();
  });
});
