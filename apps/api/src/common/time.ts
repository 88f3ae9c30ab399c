import { DateTime } from 'luxon';
import { DISPLAY_TIME_ZONE } from '@balai/domain';

/** An instant shown in Asia/Jakarta with its offset, e.g. 2026-12-01T09:00:00.000+07:00. */
export function toJakarta(date: Date | undefined | null): string | null {
  if (!date) return null;
  return DateTime.fromJSDate(date).setZone(DISPLAY_TIME_ZONE).toISO();
}

/** An instant in words for messages, in WIB: "Selasa, 3 Maret 2026 pukul 11.00 WIB" / "Tuesday, 3 March 2026, 11:00 WIB". */
export function toJakartaText(date: Date, lang: 'id' | 'en' = 'id'): string {
  const local = DateTime.fromJSDate(date)
    .setZone(DISPLAY_TIME_ZONE)
    .setLocale(lang === 'id' ? 'id' : 'en-GB');
  return lang === 'id'
    ? `${local.toFormat('cccc, d MMMM yyyy')} pukul ${local.toFormat('HH.mm')} WIB`
    : `${local.toFormat('cccc, d MMMM yyyy, HH:mm')} WIB`;
}
