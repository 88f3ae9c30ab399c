/** Every instant is shown in Asia/Jakarta and labelled WIB, whatever the device's zone. */
import { DISPLAY_TIME_ZONE } from '@balai/domain';
import { langStore } from './i18n';

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(kind: 'date' | 'time' | 'dateTime' | 'weekday', lang: string): Intl.DateTimeFormat {
  const key = `${kind}:${lang}`;
  let f = cache.get(key);
  if (!f) {
    const locale = lang === 'en' ? 'en-GB' : 'id-ID';
    const opts: Intl.DateTimeFormatOptions = { timeZone: DISPLAY_TIME_ZONE };
    if (kind === 'date' || kind === 'dateTime')
      Object.assign(opts, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    if (kind === 'time' || kind === 'dateTime')
      Object.assign(opts, { hour: '2-digit', minute: '2-digit', hour12: false });
    if (kind === 'weekday') Object.assign(opts, { weekday: 'short', day: 'numeric', month: 'short' });
    f = new Intl.DateTimeFormat(locale, opts);
    cache.set(key, f);
  }
  return f;
}

const toDate = (v: string | number | Date) => (v instanceof Date ? v : new Date(v));

export const formatDate = (v: string | Date) => fmt('date', langStore.get()).format(toDate(v));
export const formatShortDate = (v: string | Date) => fmt('weekday', langStore.get()).format(toDate(v));
export const formatTime = (v: string | Date) =>
  `${fmt('time', langStore.get()).format(toDate(v)).replace('.', ':')} WIB`;
export const formatDateTime = (v: string | Date) => `${formatDate(v)}, ${formatTime(v)}`;
/** "Senin, 1 Desember 2026, 09:00–12:00 WIB" */
export function formatRange(start: string | Date, end: string | Date): string {
  const t = fmt('time', langStore.get());
  return `${formatDate(start)}, ${t.format(toDate(start)).replace('.', ':')}–${t.format(toDate(end)).replace('.', ':')} WIB`;
}

/** Parts of an instant in Jakarta for <input type="date"> / <input type="time"> values. */
export function toJakartaInput(v: string | Date): { date: string; time: string } {
  const d = toDate(v);
  const shifted = new Date(d.getTime() + 7 * 3600_000); // WIB has no DST: fixed UTC+7.
  const iso = shifted.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/** `2026-12-01` + `09:00` read as WIB -> UTC ISO string. */
export function fromJakartaInput(date: string, time: string): string {
  return new Date(`${date}T${time}:00+07:00`).toISOString();
}
