import { validateSync } from 'class-validator';
import { IsInstant } from './instant.validator';

class Probe {
  @IsInstant() at!: unknown;
}

const ok = (at: unknown) => {
  const probe = new Probe();
  probe.at = at;
  return validateSync(probe).length === 0;
};

describe('IsInstant', () => {
  it('accepts ISO instants with an offset (Asia/Jakarta or UTC)', () => {
    expect(ok('2026-12-01T09:00:00+07:00')).toBe(true);
    expect(ok('2026-12-01T02:00:00.000Z')).toBe(true);
    expect(ok('2026-12-01T09:00+07:00')).toBe(true);
  });

  it('rejects local times without offset, impossible dates, far years and non-strings', () => {
    for (const bad of [
      '2026-12-01T09:00:00',
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-12-01T24:00:00Z',
      '1999-12-31T00:00:00Z',
      '2101-01-01T00:00:00Z',
      'besok',
      1700000000000,
      null,
    ]) {
      expect([bad, ok(bad)]).toEqual([bad, false]);
    }
  });
});
