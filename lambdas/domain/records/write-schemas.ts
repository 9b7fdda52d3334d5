import { z } from 'zod';

/** Free text of at most `max` characters, trimmed. */
export const text = (max: number) => z.string().trim().max(max);

/** A name: trimmed, not blank. */
export const nameText = (max = 255) => text(max).min(1, 'It should not be blank');

/** The update body of a resource: any of its writable fields, at least one, nothing unknown. */
export const updateSchemaOf = <S extends z.ZodObject>(fields: S) =>
  fields
    .partial()
    .strict()
    .refine((body) => Object.keys(body).length > 0, {
      message: 'The request contains no field to update',
      path: ['body'],
    });
