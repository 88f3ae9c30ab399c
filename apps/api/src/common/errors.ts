import { HttpStatus } from '@nestjs/common';
import { AppException, isDuplicateKeyError, LocalizedText } from '@balai/common';

/** Small constructors for the domain errors the API throws, so codes stay consistent. */
export const notFound = (what: LocalizedText = { id: 'Data tidak ditemukan.', en: 'Not found.' }) =>
  new AppException(HttpStatus.NOT_FOUND, 'NOT_FOUND', what);

export const forbidden = () =>
  new AppException(HttpStatus.FORBIDDEN, 'FORBIDDEN', {
    id: 'Anda tidak memiliki akses ke sumber ini.',
    en: 'You do not have access to this resource.',
  });

export const conflict = (code: string, text: LocalizedText) => new AppException(HttpStatus.CONFLICT, code, text);

export const badRequest = (code: string, text: LocalizedText, details?: Record<string, string[]>) =>
  new AppException(HttpStatus.BAD_REQUEST, code, text, details);

/** MongoDB's 11000 and FerretDB's code 1 on findAndModify alike (see @balai/common). */
export function isDuplicateKey(error: unknown): boolean {
  return isDuplicateKeyError(error);
}
