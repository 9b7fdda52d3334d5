import { z } from 'zod';
import type { AuditEntry } from './record.ts';

const verbs = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  restore: 'restored',
  purge: 'purged',
  anonymise: 'anonymised',
} as const;

/** An audit entry as the API shows it. */
export const auditViewSchema = z.strictObject({
  at: z.string(),
  actor: z.strictObject({ type: z.enum(['agent', 'contact', 'system', 'operator']), id: z.string() }),
  operation: z.enum(Object.keys(verbs) as [keyof typeof verbs]),
  record_type: z.string(),
  record_id: z.number().int(),
  changed_fields: z.array(z.string()),
  summary: z.string(),
});

/** An audit entry as people read it: ids and field names only, never values. */
export function auditView(entry: AuditEntry): z.infer<typeof auditViewSchema> {
  const fields = entry.changedFields.length ? `: ${entry.changedFields.join(', ')}` : '';
  return {
    at: entry.at,
    actor: entry.actor,
    operation: entry.operation,
    record_type: entry.record.type,
    record_id: entry.record.id,
    changed_fields: [...entry.changedFields],
    summary: `${entry.actor.type} ${entry.actor.id} ${verbs[entry.operation]} ${entry.record.type} ${entry.record.id}${fields}`,
  };
}
