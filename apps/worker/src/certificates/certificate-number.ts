/**
 * Certificate numbers from CERT_NUMBER_PATTERN. Tokens: {seq} {seq:N} (zero
 * padded to N digits) {course} {year} {month} (two digits). The year and month
 * are those of the issue date in the display time zone.
 */
export interface NumberParts {
  seq: number;
  courseCode: string;
  year: number;
  month: number;
}

export function formatCertificateNumber(pattern: string, parts: NumberParts): string {
  return pattern.replace(/\{(seq(?::(\d{1,2}))?|course|year|month)\}/g, (_match, token: string, pad?: string) => {
    if (token.startsWith('seq')) return pad ? String(parts.seq).padStart(Number(pad), '0') : String(parts.seq);
    if (token === 'course') return parts.courseCode;
    if (token === 'year') return String(parts.year);
    return String(parts.month).padStart(2, '0');
  });
}
