import type { z } from 'zod';
import { ValidationError } from '#domain/errors';

/**
 * Turns multipart form fields into the input a JSON body would carry, the way Freshdesk v2 reads
 * forms: `name=value`, `name[]=value` (repeated) for arrays, `name[key]=value` for objects such as
 * custom_fields. Form values are text, so a value is converted to a number or boolean only where the
 * schema expects one and the text is exactly such a value; anything else stays text and the schema
 * refuses it naming the field.
 */
export function formToInput(
  fields: ReadonlyArray<readonly [string, string]>,
  schema: z.ZodType,
): Record<string, unknown> {
  const shape = objectShape(schema);
  const input: Record<string, unknown> = {};
  for (const [rawName, value] of fields) {
    const match = /^([A-Za-z0-9_]{1,64})(?:\[([^[\]]{0,64})\])?$/.exec(rawName);
    const name = match?.[1];
    if (!match || !name || name === '__proto__' || match[2] === '__proto__') {
      throw new ValidationError([
        { field: rawName, message: 'Unexpected/invalid field in request', code: 'invalid_field' },
      ]);
    }
    const key = match[2];
    const type = shape[name];
    if (key === undefined) {
      if (Object.hasOwn(input, name)) throw repeated(name);
      input[name] = convert(value, type);
    } else if (key === '') {
      const list = input[name] ?? [];
      if (!Array.isArray(list)) throw repeated(name);
      list.push(convert(value, elementOf(type)));
      input[name] = list;
    } else {
      const entries = input[name] ?? {};
      if (typeof entries !== 'object' || Array.isArray(entries) || Object.hasOwn(entries, key)) {
        throw repeated(name);
      }
      (entries as Record<string, unknown>)[key] = value;
      input[name] = entries;
    }
  }
  return input;
}

const repeated = (field: string) =>
  new ValidationError([{ field, message: 'The field is given more than once', code: 'invalid_value' }]);

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; element?: z.ZodType; shape?: object };
const defOf = (schema: z.ZodType | undefined): Def | undefined =>
  (schema as unknown as { def?: Def } | undefined)?.def;

/** The schema without optional/nullable/default wrappers and pipes. */
function unwrap(schema: z.ZodType | undefined): Def | undefined {
  let def = defOf(schema);
  while (def && (def.innerType || def.type === 'pipe')) def = defOf(def.innerType ?? def.in);
  return def;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType | undefined> {
  return (unwrap(schema)?.shape ?? {}) as Record<string, z.ZodType | undefined>;
}

function elementOf(schema: z.ZodType | undefined): z.ZodType | undefined {
  const def = unwrap(schema);
  return def?.type === 'array' ? def.element : undefined;
}

function convert(value: string, schema: z.ZodType | undefined): unknown {
  const type = unwrap(schema)?.type;
  if (type === 'number' && /^-?\d{1,15}(\.\d{1,15})?$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}
