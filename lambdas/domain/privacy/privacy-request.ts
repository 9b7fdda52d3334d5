import type { SubjectKeyOutcome } from './subject-key-outcome.ts';
import { z } from 'zod';
import type { Deadline, RecordRef, StoredRecord, SubjectRef } from '#domain/records/record';
import { executionName } from './workflow-starter.ts';

export const privacyRequestTypes = ['export', 'erasure'] as const;
export const privacyRequestStatuses = [
  'pending_verification',
  'verified',
  'running',
  'completed',
  'failed',
  'rejected',
  'restored',
] as const;
export const erasureModes = ['soft', 'permanent'] as const;
/** How the request reached the account. */
export const requestChannels = [
  'email',
  'web_form',
  'phone',
  'chat',
  'letter',
  'in_person',
  'api',
  'other',
] as const;
/** How an admin confirmed the requester is the subject. */
export const verificationMethods = [
  'email_confirmation',
  'account_login',
  'identity_document',
  'phone_callback',
  'in_person',
  'other',
  /** An admin's own v2 deletion call (DELETE /contacts/{id}, …): the admin acts as the controller. */
  'admin_action',
  /** A retention rule of the account ("contacts with no activity for N months"): the account's own policy. */
  'retention_rule',
] as const;

export type PrivacyRequestType = (typeof privacyRequestTypes)[number];
export type PrivacyRequestStatus = (typeof privacyRequestStatuses)[number];

/** Statuses of a request that is not answered yet: past `due_at`, it is overdue. */
export const openStatuses: readonly PrivacyRequestStatus[] = [
  'pending_verification',
  'verified',
  'running',
  'failed',
];

/** The subject: a contact or an agent by id, or a contact by e-mail (resolved at intake, never stored). */
const subjectSchema = z
  .object({
    type: z.enum(['contact', 'agent']),
    id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    email: z.email().max(254).optional(),
  })
  .strict()
  .superRefine((subject, context) => {
    if ((subject.id === undefined) === (subject.email === undefined)) {
      context.addIssue({ code: 'custom', path: ['id'], message: 'Give either the id or the email' });
    } else if (subject.email !== undefined && subject.type !== 'contact') {
      context.addIssue({ code: 'custom', path: ['email'], message: 'Agents are named by id' });
    }
  });

export const createPrivacyRequestSchema = z
  .object({
    type: z.enum(privacyRequestTypes),
    subject: subjectSchema,
    mode: z.enum(erasureModes).optional(),
    channel: z.enum(requestChannels),
    note: z.string().trim().max(2_000).optional(),
  })
  .strict()
  .superRefine((request, context) => {
    if (request.type === 'erasure' && request.mode === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['mode'],
        message: 'An erasure needs a mode: soft or permanent',
      });
    }
    if (request.type === 'export' && request.mode !== undefined) {
      context.addIssue({ code: 'custom', path: ['mode'], message: 'Only an erasure has a mode' });
    }
  });

export const verifyPrivacyRequestSchema = z
  .object({ method: z.enum(verificationMethods).exclude(['admin_action', 'retention_rule']) })
  .strict();
export const rejectPrivacyRequestSchema = z
  .object({ reason: z.string().trim().min(1, 'It should not be blank').max(2_000) })
  .strict();

export type CreatePrivacyRequest = z.infer<typeof createPrivacyRequestSchema>;

/**
 * What a completed export keeps: counts per category, the manifest's checksum, where the bundle's
 * objects are (ids-only keys in the exports bucket) and until when they are offered. Download URLs are
 * presigned whenever the request is read (see export-downloads.ts), never stored.
 */
export interface ExportResult {
  counts: Record<string, number>;
  manifest_sha256: string;
  manifest_key: string;
  /** The data files: JSON and CSV per category. */
  files: { name: string; key: string }[];
  /** Attachment and recording files copied into the bundle: how many, and the key of their list. */
  stored_files: { count: number; list_key: string };
  available_until: string;
  /** Set when an erasure of the subject deleted the bundle: when, and by which erasure request. */
  withdrawn?: { at: string; by_request: number } | null;
}

/** Records kept under legal holds: counts per type, and per hold (its id and target). */
export interface HeldSummary {
  counts: Record<string, number>;
  holds: Array<{
    hold_id: number;
    target_type: 'contact' | 'ticket' | 'account';
    target_id: number | null;
    counts: Record<string, number>;
  }>;
}

/**
 * Proof of a completed erasure (GDPR Art. 5(2)): what was erased, how, when, by which executions.
 * The subject is named by an opaque reference, never by personal data.
 */
export interface ErasureCertificate {
  request_id: number;
  subject_reference: string;
  mode: (typeof erasureModes)[number];
  /** Records per type: `erased` (deleted or moved to the trash), `anonymised` (an agent's contributions). */
  counts: {
    erased: Record<string, number>;
    anonymised: Record<string, number>;
    files: number;
    /** Bundles of the subject's earlier exports whose files this erasure deleted. */
    export_bundles: number;
  };
  started_at: string;
  completed_at: string;
  executions: string[];
  /** Set once a soft erasure's trash is purged for good. */
  purged_at: string | null;
  /**
   * Records the erasure left in place because a legal hold covered them: counts per type, and per
   * hold (its id and target). Absent on certificates made before legal holds.
   */
  held?: HeldSummary;
  /** Where copies made before the erasure remain, and for how long (see backup-copies.ts). */
  backups?: {
    point_in_time_recovery_days: number;
    aws_backup_days: number;
    statement: string;
  };
  /**
   * The subject's data key: destroyed (when, and from when no backup can reveal the subject) or kept
   * (why). Absent on certificates made before subject encryption.
   */
  subject_key?: SubjectKeyOutcome;
}

/**
 * What legal holds keep of a soft erasure's trash past its purge: entries per record type and per
 * hold (ids and counts only), the trash objects kept with them, and when the purge looks again.
 */
export interface TrashKeptByHolds {
  counts: Record<string, number>;
  holds: HeldSummary['holds'];
  files: number;
  /** When a purge last found them held. */
  checked_at: string;
  /** When the purge runs again (daily), purging what no hold covers any more. */
  next_purge_at: string;
  /** Purge runs that kept entries: each later run is an execution (and a work index) of its own. */
  runs: number;
}

/**
 * A soft erasure's trash: `held` (restorable) until `purge_due_at`, then `purging` and `purged`; or,
 * when legal holds cover some of its entries, `held_by_legal_hold`: the rest is purged, the covered
 * entries stay (restorable, out of reach of the backstops) until a later purge finds them unheld.
 */
export interface ErasureTrash {
  state: 'held' | 'restoring' | 'restored' | 'purging' | 'purged' | 'held_by_legal_hold';
  purge_due_at: string;
  restored_at: string | null;
  purged_at: string | null;
  /** Restores and purges that failed: each new attempt runs as a new execution. */
  failed_attempts: number;
  /** Set while (and after) legal holds kept entries past the purge. */
  legal_hold?: TrashKeptByHolds | null;
}

/** A trash still there: restorable, and purged when due (by its purge or a permanent erasure). */
export const isTrashKept = (trash: ErasureTrash | null | undefined): boolean =>
  trash?.state === 'held' || trash?.state === 'held_by_legal_hold';

/** When the trash's purge is due next: its 60 days, or the next look at what holds kept. */
export const nextPurgeAt = (trash: ErasureTrash) =>
  (trash.state === 'held_by_legal_hold' && trash.legal_hold?.next_purge_at) || trash.purge_due_at;

/**
 * A data subject's request. It names the subject by id only (the controller's record of having
 * answered, GDPR Art. 5(2)); the e-mail a request may name the subject by is resolved and dropped.
 */
export interface PrivacyRequestFields {
  type: PrivacyRequestType;
  subject_type: 'contact' | 'agent';
  subject_id: number;
  mode: (typeof erasureModes)[number] | null;
  channel: (typeof requestChannels)[number];
  note: string | null;
  status: PrivacyRequestStatus;
  requested_by: number;
  received_at: string;
  due_at: string;
  verified_at: string | null;
  verified_by: number | null;
  verification_method: (typeof verificationMethods)[number] | null;
  rejected_at: string | null;
  rejected_by: number | null;
  rejection_reason: string | null;
  execution_name: string | null;
  started_at: string | null;
  completed_at: string | null;
  /** What the platform says about the request (e.g. that a workflow is not available yet). */
  notice: string | null;
  result: ExportResult | null;
  /** A completed erasure's certificate. */
  certificate?: ErasureCertificate | null;
  /** A soft erasure's trash. */
  trash?: ErasureTrash | null;
  /** How often an admin ran the request again after it failed (each a new execution). */
  retries?: number;
  /** The error name a failed workflow ended with (never personal data), and which operation failed. */
  failure: { error: string; at: string; operation?: ErasureOperation } | null;
}

/** What an erasure workflow execution does: erase the subject, or restore or purge a soft erasure's trash. */
export const erasureOperations = ['erase', 'restore', 'purge'] as const;
export type ErasureOperation = (typeof erasureOperations)[number];

export type StoredPrivacyRequest = StoredRecord<PrivacyRequestFields>;

/** What a newly received request has not got yet: verification, rejection, progress, result. */
export const notYetAnswered = {
  verified_at: null,
  verified_by: null,
  verification_method: null,
  rejected_at: null,
  rejected_by: null,
  rejection_reason: null,
  execution_name: null,
  started_at: null,
  completed_at: null,
  notice: null,
  result: null,
  certificate: null,
  trash: null,
  failure: null,
} as const satisfies Partial<PrivacyRequestFields>;

export const privacyRequestRef = (id: number): RecordRef => ({ type: 'privacy_request', id });

/**
 * The Step Functions execution of a request: named after its account and id (`privacy-<account>-<id>`),
 * so starting it twice starts it once and two accounts' requests of equal ids both run.
 */
export const privacyExecutionName = (accountId: string, requestId: number) =>
  executionName('privacy', accountId, requestId);

/** The execution of an admin's `retry` number `attempt` of a failed request: one per retry. */
export const retryExecutionName = (accountId: string, requestId: number, attempt: number) =>
  executionName('privacy', accountId, requestId, 'retry', attempt);

/**
 * The execution restoring or purging a soft erasure's trash: one per attempt, so asking again while it
 * runs starts nothing, and asking after a failure starts afresh.
 */
export const trashExecutionName = (
  accountId: string,
  requestId: number,
  operation: 'restore' | 'purge',
  trash: ErasureTrash,
) => executionName('privacy', accountId, requestId, trashWork(operation, trash), trash.failed_attempts + 1);

/**
 * The name of a restore or purge run of the trash (its executions and its work index): the purge
 * after legal holds kept entries runs again as `purge-r<n>`, its own work, finding what is still held.
 */
export function trashWork(operation: ErasureOperation, trash: ErasureTrash | null | undefined): string {
  const runs = trash?.legal_hold?.runs ?? 0;
  return operation === 'purge' && runs > 0 ? `purge-r${runs}` : operation;
}

/** Lists a subject's requests (e.g. the soft erasure a v2 restore call undoes). */
export const subjectRequestsKey = (subject: SubjectRef) => `privacy#${subject.kind}#${subject.id}`;

/** Lists the account's requests of one type in one status, most recently changed first. */
export const requestStatusKey = (type: PrivacyRequestType, status: PrivacyRequestStatus) =>
  `privacy-status#${type}#${status}`;

/**
 * The request holds no one's personal data beyond the subject's id: it has no subject links. It is
 * listed under its subject and under its type and status, and carries the deadline the region's
 * watcher looks for: `due_at` while open, the purge date while a soft erasure's trash is held (the
 * next purge run while legal holds keep entries of it).
 */
export const derivePrivacyRequest = (record: StoredPrivacyRequest): StoredPrivacyRequest => {
  const { fields } = record;
  const trash = fields.trash;
  const deadline: Deadline | undefined = openStatuses.includes(fields.status)
    ? { kind: 'privacy-request-due', at: fields.due_at }
    : trash && (isTrashKept(trash) || trash.state === 'purging')
      ? { kind: 'trash-purge', at: nextPurgeAt(trash) }
      : undefined;
  return {
    ...record,
    subjects: [],
    parent: { key: subjectRequestsKey({ kind: fields.subject_type, id: fields.subject_id }) },
    secondaryParent: { key: requestStatusKey(fields.type, fields.status), byUpdate: true },
    deadline,
  };
};

export const isOverdue = (record: StoredPrivacyRequest, now: Date) =>
  openStatuses.includes(record.fields.status) && Date.parse(record.fields.due_at) < now.getTime();

/**
 * What an agent who is not an administrator sees of a request: its type, status and dates. The subject,
 * notes, certificate, failure and a completed export's result (counts and download URLs) are for
 * administrators, who verify requests and hand results over.
 */
export const privacyRequestStatusViewSchema = z.strictObject({
  id: z.number().int(),
  type: z.enum(privacyRequestTypes),
  status: z.enum(privacyRequestStatuses),
  overdue: z.boolean(),
  received_at: z.string(),
  due_at: z.string(),
  verified_at: z.string().nullable(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  rejected_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export function privacyRequestStatusView(
  record: StoredPrivacyRequest,
  now: Date,
): z.infer<typeof privacyRequestStatusViewSchema> {
  const { fields } = record;
  return {
    id: record.ref.id,
    type: fields.type,
    status: fields.status,
    overdue: isOverdue(record, now),
    received_at: fields.received_at,
    due_at: fields.due_at,
    verified_at: fields.verified_at,
    started_at: fields.started_at,
    completed_at: fields.completed_at,
    rejected_at: fields.rejected_at,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

/**
 * A request as administrators see it. `result` (a completed export's counts, checksum and URLs, minted
 * per read), `certificate` (a completed erasure's) and `trash` (a soft erasure's) are described in
 * docs/privacy.md; the document leaves their inner shape open.
 */
export const privacyRequestViewSchema = privacyRequestStatusViewSchema.extend({
  mode: z.enum(erasureModes).nullable(),
  channel: z.enum(requestChannels),
  note: z.string().nullable(),
  requested_by: z.number().int(),
  verified_by: z.number().int().nullable(),
  verification_method: z.enum(verificationMethods).nullable(),
  rejected_by: z.number().int().nullable(),
  rejection_reason: z.string().nullable(),
  execution_name: z.string().nullable(),
  notice: z.string().nullable(),
  result: z.unknown().describe('A completed export: counts, manifest_sha256, available_until, URLs'),
  certificate: z.unknown().describe("A completed erasure's certificate").optional(),
  trash: z.unknown().describe("A soft erasure's trash: state, purge_due_at, restored_at").optional(),
  failure: z
    .strictObject({ error: z.string(), at: z.string(), operation: z.enum(erasureOperations).optional() })
    .nullable(),
  subject: z.strictObject({ type: z.enum(['contact', 'agent']), id: z.number().int() }),
  retries: z.number().int(),
});
/** What the request routes answer: the whole request to administrators, its status to other agents. */
export const shownPrivacyRequestSchema = z.union([privacyRequestViewSchema, privacyRequestStatusViewSchema]);
export function privacyRequestView(
  record: StoredPrivacyRequest,
  now: Date,
): z.infer<typeof privacyRequestViewSchema> {
  const { subject_type, subject_id, ...fields } = record.fields;
  return {
    id: record.ref.id,
    ...fields,
    subject: { type: subject_type, id: subject_id },
    retries: fields.retries ?? 0,
    overdue: isOverdue(record, now),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}
