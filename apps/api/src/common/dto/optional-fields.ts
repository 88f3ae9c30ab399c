/**
 * What an absent, a null and an empty PATCH field mean, decided once for every DTO.
 *
 * class-validator's `@IsOptional()` skips validation for `null` as well as for a missing
 * field, so `{"locale": null}` used to reach the database and come back breaking the
 * response's own enum. Here:
 *  - `OptionalNotNull()`: absent means "unchanged"; `null` is a 400 (the field has no empty state).
 *  - `NullClears()`: `null` (or `''`) clears the field, stored as the empty string; the
 *    OpenAPI property must then say `nullable: true`.
 *  - `RequireSomeField()`: a PATCH body must change something (an empty or missing body is a 400).
 */
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsDefined, IsOptional, registerDecorator, ValidateIf, ValidationArguments } from 'class-validator';

export function OptionalNotNull(): PropertyDecorator {
  return applyDecorators(
    ValidateIf((_: object, value: unknown) => value !== undefined),
    IsDefined({
      message: ({ property }: ValidationArguments) =>
        `${property} tidak boleh null: kirim nilainya atau hilangkan kolomnya / ${property} must not be null: send a value or leave it out`,
    }),
  );
}

export function NullClears(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (value === null ? '' : value)),
    IsOptional(),
  );
}

/** The pseudo-property under which `RequireSomeField` reports; it is never a real field. */
export const BODY_FIELD = 'body';

export function RequireSomeField(): ClassDecorator {
  return (target: object) =>
    registerDecorator({
      name: 'requireSomeField',
      target: target as new () => object,
      propertyName: BODY_FIELD,
      options: {
        message: 'Kirim minimal satu kolom yang akan diubah / Send at least one field to change',
      },
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          if (value !== undefined) return false;
          const object = args.object as Record<string, unknown>;
          return Object.keys(object).some((key) => key !== BODY_FIELD && object[key] !== undefined);
        },
      },
    });
}
