import type { AuditEntry } from './record.ts';

const verbs = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  restore: 'restored',
  purge: 'purged',
  anonymise: 'anonymised',
} as const;

/** An audit entry as people read it: ids and field names only, never values. */
export function auditView(entry: AuditEntry) {
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
