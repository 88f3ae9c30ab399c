/**
 * Copies the rules class-validator enforces on request DTOs into the OpenAPI document
 * (format, pattern, lengths, ranges, enums, array sizes), so the document says what the API
 * checks without each rule being written twice. Only fills what a property does not state
 * itself: an explicit `@ApiProperty({ pattern })` wins (e.g. a field normalised before it
 * is validated documents the input it accepts).
 *
 * Components are matched to classes by name (the name @nestjs/swagger gives a DTO schema).
 */
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

export interface JsonSchemaLike {
  type?: string;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  items?: JsonSchemaLike;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  properties?: Record<string, JsonSchemaLike>;
  $ref?: string;
  allOf?: unknown[];
  [key: string]: unknown;
}

/** Schema fragments for custom validators, by their registered name (e.g. `isInstant`). */
export type CustomRules = Record<string, JsonSchemaLike>;

/* eslint-disable @typescript-eslint/no-unsafe-function-type -- class-validator's own storage is keyed by Function */
interface Storage {
  validationMetadatas: Map<Function, ValidationMetadata[]>;
  getTargetValidationMetadatas(
    target: Function,
    schema: string,
    always: boolean,
    strictGroups: boolean,
  ): ValidationMetadata[];
}
/* eslint-enable @typescript-eslint/no-unsafe-function-type */

/** A class-validator rule as a JSON-schema fragment, or null if it has none. */
function fragment(meta: ValidationMetadata, custom: CustomRules): JsonSchemaLike | null {
  const c = meta.constraints ?? [];
  switch (meta.name) {
    case 'isEmail':
      return { format: 'email' };
    case 'matches': {
      const re = c[0] instanceof RegExp ? c[0] : new RegExp(String(c[0]), c[1] as string | undefined);
      // A flag changes what the pattern means; such a rule must be documented by hand.
      return re.flags ? null : { pattern: re.source };
    }
    case 'minLength':
      return { minLength: c[0] as number };
    case 'maxLength':
      return { maxLength: c[0] as number };
    case 'min':
      return { minimum: c[0] as number };
    case 'max':
      return { maximum: c[0] as number };
    case 'isInt':
      return { type: 'integer' };
    case 'isIn':
      return { enum: c[0] as unknown[] };
    case 'isMongoId':
      return { pattern: '^[0-9a-fA-F]{24}$' };
    case 'arrayMinSize':
      return { minItems: c[0] as number };
    case 'arrayMaxSize':
      return { maxItems: c[0] as number };
    case 'arrayUnique':
      return { uniqueItems: true };
    default:
      return meta.name && custom[meta.name] ? custom[meta.name]! : null;
  }
}

const ARRAY_KEYS = new Set(['minItems', 'maxItems', 'uniqueItems']);

function apply(target: JsonSchemaLike, rule: JsonSchemaLike, each: boolean): void {
  for (const [key, value] of Object.entries(rule)) {
    const into = each || (target.type === 'array' && !ARRAY_KEYS.has(key)) ? (target.items ??= {}) : target;
    if (into.$ref || into.allOf) continue;
    if (into[key] === undefined || (key === 'type' && into.type === 'number')) into[key] = value;
  }
}

/** Fills the component schemas of `document` from the validation rules of their DTO classes. */
export function applyValidationRules(
  document: { components?: { schemas?: Record<string, unknown> } },
  custom: CustomRules = {},
): void {
  const schemas = document.components?.schemas as Record<string, JsonSchemaLike> | undefined;
  if (!schemas) return;
  const storage = getMetadataStorage() as unknown as Storage;
  for (const target of storage.validationMetadatas.keys()) {
    const schema = schemas[target.name];
    if (!schema?.properties) continue;
    for (const meta of storage.getTargetValidationMetadatas(target, '', false, false)) {
      if (meta.name === 'requireSomeField') {
        schema.minProperties = 1;
        continue;
      }
      const property = schema.properties[meta.propertyName];
      const rule = property && fragment(meta, custom);
      if (rule) apply(property, rule, meta.each === true);
    }
  }
}
