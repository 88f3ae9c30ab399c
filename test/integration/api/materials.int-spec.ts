import request from 'supertest';
import { RunningApp, startApiApp } from '../../support/api-app';
import { createCourse, createUser, enrolDirect, TestUser } from '../../support/factories';

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000, 0x41), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 1)]);
const DOCX = Buffer.concat([
  Buffer.from([0x50, 0x4b, 0x03, 0x04]),
  Buffer.alloc(26, 0),
  Buffer.from('[Content_Types].xml'),
  Buffer.alloc(10, 0),
  Buffer.from('word/document.xml'),
]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(500, 0x90)]);

jest.setTimeout(90_000);

describe('materials API', () => {
  let sut: RunningApp;
  let admin: TestUser;
  let trainer: TestUser;
  let enrolled: TestUser;
  let outsider: TestUser;
  let courseId: string;
  beforeAll(async () => {
    sut = await startApiApp();
    admin = await createUser(sut.app, 'admin');
    trainer = await createUser(sut.app, 'trainer');
    enrolled = await createUser(sut.app, 'participant');
    outsider = await createUser(sut.app, 'participant');
    courseId = (await createCourse(sut.app, { trainerIds: [trainer.id] })).id;
    await enrolDirect(sut.app, courseId, enrolled.id);
  });
  afterAll(() => sut.close());

  const upload = (user: TestUser | null, data: Buffer, name: string) => {
    const req = request(sut.url).post(`/api/courses/${courseId}/materials`);
    if (user) req.set(user.auth);
    return req.attach('file', data, name);
  };

  it('the course trainer uploads a PDF; enrolled participants download the same bytes; outsiders cannot', async () => {
    const res = await upload(trainer, PDF, 'Modul 1.pdf').expect(201);
    expect(res.body).toMatchObject({
      kind: 'pdf',
      contentType: 'application/pdf',
      size: PDF.length,
      filename: 'Modul 1.pdf',
    });
    const id = res.body.id as string;
    const list = await request(sut.url).get(`/api/courses/${courseId}/materials`).set(enrolled.auth).expect(200);
    expect(list.body.map((m: { id: string }) => m.id)).toContain(id);
    const file = await request(sut.url)
      .get(`/api/materials/${id}/download`)
      .set(enrolled.auth)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(Buffer.compare(file.body as Buffer, PDF)).toBe(0);
    expect(file.headers['content-disposition']).toContain('attachment');
    await request(sut.url).get(`/api/materials/${id}/download`).set(admin.auth).expect(200);
    await request(sut.url).get(`/api/materials/${id}/download`).set(outsider.auth).expect(403);
    await request(sut.url)
      .get(`/api/materials/${id}/download`)
      .set((await createUser(sut.app, 'trainer')).auth)
      .expect(403);
    await request(sut.url).get(`/api/materials/${id}/download`).expect(401);
    await request(sut.url).get(`/api/courses/${courseId}/materials`).set(outsider.auth).expect(403);
  });

  it('admins upload PNG and DOCX; type is checked by content, not only by name', async () => {
    await upload(admin, PNG, 'poster.png').expect(201);
    expect((await upload(admin, DOCX, 'panduan.docx').expect(201)).body.kind).toBe('docx');
    const renamed = await upload(admin, EXE, 'virus.pdf').expect(415);
    expect(renamed.body.error).toBe('UNSUPPORTED_FILE_TYPE');
    await upload(admin, PNG, 'poster.pdf').expect(415);
    await upload(admin, PDF, 'modul.exe').expect(415);
  });

  it('participants, other trainers and anonymous cannot upload', async () => {
    await upload(enrolled, PDF, 'a.pdf').expect(403);
    await upload(await createUser(sut.app, 'trainer'), PDF, 'a.pdf').expect(403);
    await upload(null, PDF, 'a.pdf').expect(401);
  });

  it('rejects a missing file with 400 and an oversized file with 413', async () => {
    const none = await request(sut.url).post(`/api/courses/${courseId}/materials`).set(trainer.auth).field('x', 'y');
    expect(none.status).toBe(400);
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20 * 1024 * 1024 + 10, 0x41)]);
    const res = await upload(trainer, big, 'besar.pdf');
    expect(res.status).toBe(413);
    expect(res.body.statusCode).toBe(413);
  });

  it('trainer deletes a file; participants cannot', async () => {
    const id = (await upload(trainer, PDF, 'hapus.pdf').expect(201)).body.id as string;
    await request(sut.url).delete(`/api/materials/${id}`).set(enrolled.auth).expect(403);
    await request(sut.url).delete(`/api/materials/${id}`).set(trainer.auth).expect(204);
    await request(sut.url).get(`/api/materials/${id}/download`).set(admin.auth).expect(404);
    await request(sut.url).get('/api/materials/zzz/download').set(admin.auth).expect(400);
  });
});
