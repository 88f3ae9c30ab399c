import { z } from 'zod';

/**
 * Free text a person types that is stored (chat, questions, answers, reasons):
 * trimmed, bounded, and without U+0000, which PostgreSQL (under FerretDB)
 * cannot store; refused here with an error ack instead of failing in the store.
 */
export function storedText(max: number, empty?: string) {
  const base = z.string().trim();
  return (empty === undefined ? base : base.min(1, empty))
    .max(max, `at most ${max} characters`)
    .refine((value) => !value.includes('\u0000'), 'must not contain the NUL character (U+0000)');
}
