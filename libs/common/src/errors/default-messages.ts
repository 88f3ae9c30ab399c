import { HttpStatus } from '@nestjs/common';
import type { LocalizedText } from './error-response';

/** Stable codes and human messages for plain HTTP statuses. */
export const STATUS_DEFAULTS: Record<number, { code: string; text: LocalizedText }> = {
  [HttpStatus.BAD_REQUEST]: {
    code: 'BAD_REQUEST',
    text: { id: 'Permintaan tidak valid.', en: 'The request is not valid.' },
  },
  [HttpStatus.UNAUTHORIZED]: {
    code: 'UNAUTHORIZED',
    text: { id: 'Silakan masuk terlebih dahulu.', en: 'Please sign in first.' },
  },
  [HttpStatus.FORBIDDEN]: {
    code: 'FORBIDDEN',
    text: { id: 'Anda tidak memiliki akses ke sumber ini.', en: 'You do not have access to this resource.' },
  },
  [HttpStatus.NOT_FOUND]: {
    code: 'NOT_FOUND',
    text: { id: 'Data tidak ditemukan.', en: 'Not found.' },
  },
  [HttpStatus.METHOD_NOT_ALLOWED]: {
    code: 'METHOD_NOT_ALLOWED',
    text: { id: 'Metode tidak diizinkan.', en: 'Method not allowed.' },
  },
  [HttpStatus.CONFLICT]: {
    code: 'CONFLICT',
    text: { id: 'Data bertentangan dengan data yang sudah ada.', en: 'This conflicts with existing data.' },
  },
  [HttpStatus.PAYLOAD_TOO_LARGE]: {
    code: 'PAYLOAD_TOO_LARGE',
    text: { id: 'Data yang dikirim terlalu besar.', en: 'The request body is too large.' },
  },
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    text: { id: 'Jenis berkas tidak didukung.', en: 'Unsupported media type.' },
  },
  [HttpStatus.UNPROCESSABLE_ENTITY]: {
    code: 'UNPROCESSABLE',
    text: { id: 'Data tidak dapat diproses.', en: 'The data cannot be processed.' },
  },
  [HttpStatus.TOO_MANY_REQUESTS]: {
    code: 'TOO_MANY_REQUESTS',
    text: {
      id: 'Terlalu banyak percobaan. Silakan tunggu sebentar lalu coba lagi.',
      en: 'Too many attempts. Please wait a moment and try again.',
    },
  },
  [HttpStatus.SERVICE_UNAVAILABLE]: {
    code: 'SERVICE_UNAVAILABLE',
    text: {
      id: 'Layanan sedang tidak tersedia. Silakan coba lagi sebentar lagi.',
      en: 'The service is unavailable right now. Please try again shortly.',
    },
  },
  [HttpStatus.INTERNAL_SERVER_ERROR]: {
    code: 'INTERNAL_ERROR',
    text: {
      id: 'Terjadi kesalahan pada server. Silakan coba lagi.',
      en: 'Something went wrong on the server. Please try again.',
    },
  },
};

export const VALIDATION_FAILED = {
  code: 'VALIDATION_FAILED',
  text: { id: 'Data yang diisi belum benar.', en: 'Some fields are not valid.' },
};
