import { z } from 'zod';

/**
 * The zod schema of a record kind's v2 view: its id, the given fields and its timestamps, nothing else.
 * Each view declares its schema next to it and returns `z.infer` of it, so the view and the OpenAPI
 * document (lambdas/api/openapi-document.ts) cannot drift apart; lists are `z.array` of it.
 */
export const recordViewSchema = <Shape extends z.ZodRawShape>(fields: Shape) =>
  z.strictObject({ id: z.number().int(), ...fields, created_at: z.string(), updated_at: z.string() });

/** The fields every v2 record view has, for kinds whose fields a zod schema already declares. */
export const recordViewShape = { id: z.number().int(), created_at: z.string(), updated_at: z.string() };
