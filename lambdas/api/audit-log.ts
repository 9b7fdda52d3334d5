import { z } from 'zod';
import { requirePermission } from '#domain/roles/permission-check';
import { auditView } from '#domain/records/audit-view';
import type { RecordStore } from '#domain/records/record-store';
import { recordTypes } from '#domain/records/record';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, authenticatedApi, lazyHandler } from '#http/api-handler';
import { parseQuery } from '#http/request';
import { jsonResponse } from '#http/responses';

export const auditLogQuerySchema = z
  .object({
    record_type: z.enum(recordTypes).optional(),
    record_id: z.coerce.number().int().positive().optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(100),
  })
  .strict()
  .refine((q) => (q.record_type === undefined) === (q.record_id === undefined), {
    message: 'record_type and record_id go together',
    path: ['record_id'],
  })
  .refine((q) => q.record_type !== undefined || q.since !== undefined, {
    message: 'Give a record (record_type and record_id) or a time range (since, optionally until)',
    path: ['since'],
  });

/** GET /api/v2/audit_log: who changed what and when, newest first. Admins only. */
export function createAuditLogHandler(deps: ApiDependencies & { records: RecordStore; now: () => Date }) {
  return authenticatedApi(deps, async (event, principal) => {
    requirePermission(principal, 'admin.audit_log', 'read the audit log');
    const query = parseQuery(event, auditLogQuerySchema);
    const entries =
      query.record_type && query.record_id
        ? await deps.records.auditTrail(
            principal.accountId,
            { type: query.record_type, id: query.record_id },
            query.limit,
          )
        : await deps.records.auditBetween(
            principal.accountId,
            new Date(query.since ?? 0).toISOString(),
            new Date(query.until ?? deps.now()).toISOString(),
            query.limit,
          );
    return jsonResponse(200, entries.map(auditView));
  });
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('auditLog');
  return createAuditLogHandler(runtime);
});
