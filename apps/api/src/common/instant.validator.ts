import { registerDecorator, ValidationOptions } from 'class-validator';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO-8601 instant with an explicit offset, e.g. `2026-12-01T09:00:00+07:00`
 * (Asia/Jakarta) or `...Z`, between the years 2000 and 2100. A local time
 * without an offset is ambiguous and is rejected rather than guessed.
 */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `${String(propertyName)} harus berupa waktu ISO-8601 dengan zona, mis. 2026-12-01T09:00:00+07:00 / ${String(propertyName)} must be an ISO-8601 instant with an offset, e.g. 2026-12-01T09:00:00+07:00`,
        ...options,
      },
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'string') return false;
          const m = INSTANT.exec(value);
          if (!m) return false;
          const [, y, mo, d, h, mi] = m.map(Number) as number[];
          if (y! < 2000 || y! > 2100 || mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59) return false;
          // Reject calendar overflow such as 30 February, which Date would silently roll over.
          if (new Date(Date.UTC(y!, mo! - 1, d!)).getUTCDate() !== d) return false;
          const date = new Date(value);
          return !Number.isNaN(date.getTime());
        },
      },
    });
}
