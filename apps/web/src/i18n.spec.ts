import { dictionaries } from './i18n';

/** `{name}` placeholders of a text, sorted. */
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionary', () => {
  const { id, en } = dictionaries;

  it('has every key in both languages', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
  });

  it('has no empty text', () => {
    const empty = Object.entries({ ...prefix('id', id), ...prefix('en', en) }).filter(([, v]) => !v.trim());
    expect(empty).toEqual([]);
  });

  it('uses the same placeholders in both languages', () => {
    const mismatched = Object.keys(id).filter(
      (k) => placeholders(id[k as keyof typeof id]).join() !== placeholders(en[k as keyof typeof en]).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('says "pelatihan" and "menit" in Bahasa Indonesia, never "kursus" or a bare "min"', () => {
    const offending = Object.entries(id).filter(
      ([, v]) => /\bkursus\b/i.test(v) || /\d\s*min\b/.test(v) || /\bmin\.?$/.test(v),
    );
    expect(offending).toEqual([]);
  });
});

function prefix(lang: string, dict: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(dict).map(([k, v]) => [`${lang}.${k}`, v]));
}
