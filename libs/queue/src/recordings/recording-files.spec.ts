import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { mongo } from 'mongoose';
import { RecordingFiles } from './recording-files';

const read = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

describe('RecordingFiles, directory store', () => {
  const root = mkdtempSync(join(tmpdir(), 'balai-rec-files-'));
  const dir = join(root, 'store');
  const noDb = (): mongo.Db => {
    throw new Error('the directory store never touches the database');
  };
  const sut = new RecordingFiles(noDb, dir);
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
  const source = join(root, 'out.mp4');
  writeFileSync(source, bytes);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stores a whole file under its name (no partial file left) and reads byte ranges inclusively', async () => {
    const stored = await sut.put('directory', source, 'recording-a-360p.mp4');
    expect(stored).toEqual({ store: 'directory', storageKey: 'recording-a-360p.mp4' });
    expect(readFileSync(join(dir, 'recording-a-360p.mp4')).equals(bytes)).toBe(true);
    expect(readdirSync(dir)).toEqual(['recording-a-360p.mp4']);
    expect(await sut.size(stored)).toBe(1000);
    expect((await read(sut.open(stored, { start: 100, end: 199 }))).equals(bytes.subarray(100, 200))).toBe(true);
    expect((await read(sut.open(stored))).equals(bytes)).toBe(true);
  });

  it('removes a file, and a second remove is fine', async () => {
    const stored = await sut.put('directory', source, 'recording-b-720p.mp4');
    await sut.remove(stored);
    await sut.remove(stored);
    expect(existsSync(join(dir, 'recording-b-720p.mp4'))).toBe(false);
    expect(await sut.size(stored)).toBeNull();
  });

  it('never reads or deletes outside its directory', async () => {
    for (const storageKey of ['../out.mp4', '/etc/passwd', '.hidden', 'a/b.mp4']) {
      expect(() => sut.open({ store: 'directory', storageKey })).toThrow(/bad recording file key/);
      await expect(sut.remove({ store: 'directory', storageKey })).rejects.toThrow(/bad recording file key/);
    }
    expect(existsSync(source)).toBe(true);
  });
});
