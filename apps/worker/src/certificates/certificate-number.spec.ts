import { formatCertificateNumber } from './certificate-number';

describe('formatCertificateNumber', () => {
  it('fills the default pattern with a padded sequence, course code and year', () => {
    const sut = formatCertificateNumber('{seq:4}/{course}/DISPERIN/{year}', {
      seq: 7,
      courseCode: 'PKM-2026-01',
      year: 2026,
      month: 3,
    });
    expect(sut).toBe('0007/PKM-2026-01/DISPERIN/2026');
  });

  it('keeps sequences longer than the padding and supports month and plain seq', () => {
    const sut = formatCertificateNumber('{course}.{month}.{seq}-{seq:2}', {
      seq: 123,
      courseCode: 'X',
      year: 2026,
      month: 9,
    });
    expect(sut).toBe('X.09.123-123');
  });
});
