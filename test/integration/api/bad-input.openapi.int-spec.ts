/**
 * The OpenAPI document says what the API does (issue 10, section 1): instants are
 * string/date-time, every error status is documented in the one error shape, CSV and file
 * routes document their own success type and JSON errors, and the validation rules are in
 * the schemas. The fuzz test (bad-input.fuzz.int-spec.ts) then holds the API to it.
 */
import request from 'supertest';
import { RunningApp, startApiApp } from '../../support/api-app';

jest.setTimeout(90_000);

interface Schema {
  type?: string;
  format?: string;
  pattern?: string;
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minProperties?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  $ref?: string;
}
interface Response {
  content?: Record<string, { schema?: Schema }>;
}
interface Operation {
  requestBody?: unknown;
  responses: Record<string, Response>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

describe('the OpenAPI document', () => {
  let sut: RunningApp;
  let doc: Document;
  beforeAll(async () => {
    sut = await startApiApp();
    doc = (await request(sut.url).get('/api/docs-json').expect(200)).body as Document;
  });
  afterAll(() => sut.close());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, path, op })),
    );

  it('documents every instant as a string with format date-time, never as an object', () => {
    const wrong: string[] = [];
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      for (const [field, property] of Object.entries(schema.properties ?? {})) {
        if (!/(At|AtLocal|Until)$/.test(field) || property.$ref || property.pattern) continue;
        if (name.endsWith('Dto') && /Query|Create|Update|Event/.test(name)) continue; // inputs carry a pattern instead
        if (property.type !== 'string' || property.format !== 'date-time')
          wrong.push(`${name}.${field}: ${JSON.stringify(property)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(doc.components.schemas.CourseResponseDto!.properties!.startsAt).toMatchObject({
      type: 'string',
      format: 'date-time',
      nullable: true,
    });
  });

  it('documents errors in the one error shape (JSON), 503 on every route and 400/413/415 where a body is read', () => {
    const missing: string[] = [];
    for (const { where, path, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (!status.startsWith('4') && !status.startsWith('5')) continue;
        if (path.endsWith('/health')) continue;
        const schema = response.content?.['application/json']?.schema;
        if (
          schema?.$ref !== '#/components/schemas/ErrorResponseDto' ||
          Object.keys(response.content ?? {}).length !== 1
        )
          missing.push(`${where} ${status} not the JSON error shape`);
      }
      if (!path.endsWith('/health') && !op.responses['503']) missing.push(`${where} lacks 503`);
      if (op.requestBody)
        for (const s of ['400', '413', '415']) if (!op.responses[s]) missing.push(`${where} lacks ${s}`);
    }
    expect(missing).toEqual([]);
  });

  it('documents 202 on issuing certificates, and the success type of CSV and file downloads', () => {
    const issue = doc.paths['/api/courses/{courseId}/certificates/issue']!.post!;
    expect(Object.keys(issue.responses)).toContain('202');
    expect(Object.keys(issue.responses)).not.toContain('200');
    const csv = doc.paths['/api/reports/courses.csv']!.get!;
    expect(Object.keys(csv.responses['200']!.content!)).toEqual(['text/csv']);
    const pdf = doc.paths['/api/certificates/{id}/pdf']!.get!;
    expect(pdf.responses['200']!.content!['application/pdf']!.schema).toMatchObject({
      type: 'string',
      format: 'binary',
    });
    expect(Object.keys(pdf.responses['404']!.content!)).toEqual(['application/json']);
    const download = doc.paths['/api/materials/{id}/download']!.get!;
    expect(Object.keys(download.responses['200']!.content!)).toEqual(
      expect.arrayContaining(['application/pdf', 'image/png']),
    );
  });

  it('carries the validation rules the API enforces', () => {
    const s = doc.components.schemas;
    expect(s.RegisterDto!.properties!.email).toMatchObject({ format: 'email', maxLength: 254 });
    expect(s.RegisterDto!.properties!.password!.pattern).toBeDefined();
    expect(new RegExp(s.RegisterDto!.properties!.password!.pattern!).test('rahasia123')).toBe(true);
    expect(new RegExp(s.RegisterDto!.properties!.password!.pattern!).test('rahasiasaja')).toBe(false);
    expect(s.IkmProfileDto!.properties!.nib!.pattern).toBe('^\\d{13}$');
    expect(new RegExp(s.IkmProfileDto!.properties!.whatsapp!.pattern!).test('081234567890')).toBe(true);
    expect(s.IkmProfileDto!.properties!.businessName).toMatchObject({ minLength: 2, maxLength: 200 });
    expect(s.CreateCourseDto!.properties!.code!.pattern).toBe('^[A-Z0-9][A-Z0-9-]{1,31}$');
    expect(s.CreateCourseDto!.properties!.capacity).toMatchObject({ type: 'integer', minimum: 1, maximum: 10000 });
    const instant = new RegExp(s.CreateCourseDto!.properties!.registrationOpensAt!.pattern!);
    expect(instant.test('2026-12-01T09:00:00+07:00')).toBe(true);
    expect(instant.test('2026-12-01T09:00:00')).toBe(false);
    expect(s.CreateCourseDto!.properties!.trainerIds).toMatchObject({
      maxItems: 20,
      uniqueItems: true,
      items: { pattern: '^[0-9a-fA-F]{24}$' },
    });
    expect(s.UpdateMeDto!.minProperties).toBe(1);
    expect(s.CertificateRulesDto!.properties!.minAttendancePercent).toMatchObject({
      type: 'integer',
      minimum: 0,
      maximum: 100,
    });
  });
});
