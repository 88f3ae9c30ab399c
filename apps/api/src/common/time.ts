import { DateTime } from 'luxon';
import { DISPLAY_TIME_ZONE } from '@balai/domain';

/** An instant shown in Asia/Jakarta with its offset, e.g. 2026-12-01T09:00:00.000+07:00. */
export function toJakarta(date: Date | undefined | null): string | null {
  if (!date) return null;
  return DateTime.fromJSDate(date).setZone(DISPLAY_TIME_ZONE).toISO();
}
