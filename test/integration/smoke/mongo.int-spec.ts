import { getModelToken } from '@nestjs/mongoose';
import { Test, TestingModule } from '@nestjs/testing';
import type { Connection, Model } from 'mongoose';
import { getConnectionToken } from '@nestjs/mongoose';
import { BalaiConfigModule, sharedEnvSchema } from '@balai/config';
import { DatabaseModule, User } from '@balai/database';

/** The project's DatabaseModule against the real MongoDB-protocol server. */
describe('smoke: MongoDB-protocol server through DatabaseModule', () => {
  let moduleRef: TestingModule;
  let users: Model<User>;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [BalaiConfigModule.forApp(sharedEnvSchema), DatabaseModule.forRoot()],
    }).compile();
    await moduleRef.init();
    users = moduleRef.get(getModelToken(User.name));
    await users.syncIndexes();
  });

  afterAll(async () => {
    const connection = moduleRef.get<Connection>(getConnectionToken());
    await connection.dropDatabase();
    await moduleRef.close();
  });

  it('writes a document and reads it back', async () => {
    await users.create({ email: 'Admin@Example.ID', name: 'Admin Dinas', role: 'admin', passwordHash: 'x' });
    const found = await users.findOne({ email: 'admin@example.id' }).lean();
    expect(found).toMatchObject({ name: 'Admin Dinas', role: 'admin', email: 'admin@example.id' });
  });

  it('rejects a duplicate on a unique index', async () => {
    await users.create({ email: 'dup@example.id', name: 'A', role: 'participant', passwordHash: 'x' });
    await expect(
      users.create({ email: 'dup@example.id', name: 'B', role: 'participant', passwordHash: 'x' }),
    ).rejects.toMatchObject({ code: 11000 });
    expect(await users.countDocuments({ email: 'dup@example.id' })).toBe(1);
  });
});
