import { KECAMATAN, normalizeWhatsApp, SECTOR_CODES } from './ikm';

describe('IKM reference data', () => {
  it('lists the 23 kecamatan of Kabupaten Bekasi', () => {
    expect(KECAMATAN).toHaveLength(23);
    expect(new Set(KECAMATAN).size).toBe(23);
  });

  it('has an "other" sector', () => {
    expect(SECTOR_CODES).toContain('other');
  });
});

describe('normalizeWhatsApp', () => {
  it.each([
    ['0812-3456-7890', '+6281234567890'],
    ['+62 812 3456 7890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['0812345678', '+62812345678'],
  ])('normalises %s', (input, expected) => {
    expect(normalizeWhatsApp(input)).toBe(expected);
  });

  it.each(['12345', '0212345678', '+1 415 555 0100', 'abc', ''])('rejects %s', (input) => {
    expect(normalizeWhatsApp(input)).toBeNull();
  });
});
