import { z } from 'zod';
import { updateAgentSchema } from '#domain/agents/agent-service';
import { companyFieldsSchema } from '#domain/companies/company-service';
import { contactFieldsSchema } from '#domain/contacts/contact-schema';
import {
  ticketFieldsSchema,
  ticketPriorities,
  ticketSources,
  ticketStatuses,
} from '#domain/tickets/ticket-schema';
import { FieldReader } from './field-reader.ts';
import type { ImportItem, RecordFailure } from './import-item.ts';
import type { SourceEntity } from './migration.ts';

/** A mapped record, or why it failed; `records` counts it with the comments it carried (default 1). */
export type Mapped =
  | { item: ImportItem; failures?: undefined }
  | { item?: undefined; failures: RecordFailure[]; records?: number };

const done = (reader: FieldReader, item: ImportItem | undefined): Mapped =>
  item ? { item } : { failures: reader.failures };

/** Zendesk ticket status → Freshdesk v2 status code (`hold` has no counterpart: pending). */
export const zendeskStatuses: Readonly<Record<string, number>> = {
  new: ticketStatuses.open,
  open: ticketStatuses.open,
  pending: ticketStatuses.pending,
  hold: ticketStatuses.pending,
  solved: ticketStatuses.resolved,
  closed: ticketStatuses.closed,
};
export const zendeskPriorities: Readonly<Record<string, number>> = {
  low: ticketPriorities.low,
  normal: ticketPriorities.medium,
  high: ticketPriorities.high,
  urgent: ticketPriorities.urgent,
};
/** Zendesk `via.channel` → Freshdesk v2 source; any other channel counts as the portal. */
export const zendeskChannels: Readonly<Record<string, number>> = {
  email: ticketSources.email,
  web: ticketSources.portal,
  voice: ticketSources.phone,
  chat: ticketSources.chat,
  native_messaging: ticketSources.chat,
};
export const zendeskTypes: Readonly<Record<string, string>> = {
  problem: 'Problem',
  incident: 'Incident',
  question: 'Question',
  task: 'Task',
};

const contactSchema = contactFieldsSchema.partial().required({ name: true });
const agentSchema = updateAgentSchema.required({ name: true, email: true, role: true });
const companySchema = companyFieldsSchema.partial().required({ name: true });
const ticketSchema = ticketFieldsSchema
  .omit({ requester_id: true, responder_id: true, company_id: true })
  .partial()
  .required({ subject: true, description: true });
const conversationSchema = z.object({
  body: z.string().min(1, 'It should not be blank').max(100_000),
  private: z.boolean(),
  source: z.union([z.literal(0), z.literal(2)]),
});

function lookup(reader: FieldReader, name: string, table: Readonly<Record<string, number | string>>) {
  const value = reader.text(name);
  if (value === undefined) return undefined;
  const mapped = table[value.toLowerCase()];
  return mapped ?? reader.fail(name, `It should be one of: ${Object.keys(table).join(', ')}.`);
}

/** A Zendesk user: an end user becomes a contact, an agent or admin an agent (same id space). */
export function mapZendeskUser(line: number, raw: Record<string, unknown>): Mapped {
  const reader = new FieldReader('users', line, raw);
  const role = reader.text('role') ?? 'end-user';
  if (role === 'agent' || role === 'admin') {
    const fields = reader.validate(
      agentSchema,
      {
        name: reader.text('name'),
        email: reader.text('email'),
        phone: reader.text('phone') ?? null,
        language: reader.text('locale'),
        time_zone: reader.text('time_zone'),
        role,
      },
      { language: 'locale' },
    );
    return done(reader, reader.item(fields, { kind: 'agent', space: 'user' }));
  }
  if (role !== 'end-user') {
    reader.fail('role', 'It should be end-user, agent or admin.');
    return { failures: reader.failures };
  }
  const company = reader.ref('organization_id', 'organization', ['company']);
  const fields = reader.validate(
    contactSchema,
    {
      name: reader.text('name'),
      email: reader.text('email') ?? null,
      phone: reader.text('phone') ?? null,
      unique_external_id: reader.text('external_id') ?? null,
      language: reader.text('locale'),
      time_zone: reader.text('time_zone'),
      description: reader.text('notes') ?? null,
      tags: reader.list('tags'),
    },
    { unique_external_id: 'external_id', language: 'locale', description: 'notes' },
  );
  if (fields && !fields.email && !fields.phone && !fields.unique_external_id) {
    reader.fail('email', 'A contact needs an email, a phone or an external_id.');
  }
  return done(reader, reader.item(fields, { kind: 'contact', space: 'user', refs: { company_id: company } }));
}

export function mapZendeskOrganization(line: number, raw: Record<string, unknown>): Mapped {
  const reader = new FieldReader('organizations', line, raw);
  const fields = reader.validate(
    companySchema,
    {
      name: reader.text('name'),
      description: reader.text('details') ?? null,
      note: reader.text('notes') ?? null,
      domains: reader.list('domain_names'),
    },
    { description: 'details', note: 'notes', domains: 'domain_names' },
  );
  return done(reader, reader.item(fields, { kind: 'company', space: 'organization' }));
}

/** A Zendesk ticket with its comments (`comments`), each comment a conversation on it. */
export function mapZendeskTicket(line: number, raw: Record<string, unknown>): Mapped {
  const reader = new FieldReader('tickets', line, raw);
  const requester = reader.ref('requester_id', 'user', ['contact'], true);
  const responder = reader.ref('assignee_id', 'user', ['agent']);
  const company = reader.ref('organization_id', 'organization', ['company']);
  const via = raw.via as { channel?: unknown } | undefined;
  const channel = typeof via?.channel === 'string' ? via.channel : undefined;
  const subject = reader.text('subject');
  const fields = reader.validate(
    ticketSchema,
    {
      subject: subject === undefined || subject.trim() === '' ? '(no subject)' : subject,
      description: reader.text('description') ?? '',
      status: lookup(reader, 'status', zendeskStatuses) ?? ticketStatuses.open,
      priority: lookup(reader, 'priority', zendeskPriorities) ?? ticketPriorities.low,
      type: (reader.has('type') ? lookup(reader, 'type', zendeskTypes) : undefined) ?? null,
      source: (channel && zendeskChannels[channel]) ?? ticketSources.portal,
      tags: reader.list('tags'),
      due_by: reader.instant('due_at') ?? null,
    },
    { due_by: 'due_at' },
  );
  const comments = raw.comments ?? [];
  const children: ImportItem[] = [];
  if (!Array.isArray(comments)) reader.fail('comments', 'It should be a list of comments.');
  else {
    comments.forEach((comment: unknown, index) => {
      const prefix = `comments[${index}]`;
      if (comment === null || typeof comment !== 'object' || Array.isArray(comment)) {
        reader.fail(prefix, 'It should be a JSON object.');
        return;
      }
      const child = new FieldReader('tickets', line, comment as Record<string, unknown>);
      const author = child.ref('author_id', 'user', ['contact', 'agent'], true);
      const isPublic = child.boolean('public') ?? true;
      const body = child.text('html_body') ?? child.text('body');
      const commentFields = child.validate(conversationSchema, {
        body,
        private: !isPublic,
        source: isPublic ? 0 : 2,
      });
      const item = child.item(
        commentFields && {
          ...commentFields,
          incoming: author !== undefined && requester !== undefined && author.sourceId === requester.sourceId,
        },
        { kind: 'conversation', space: 'comment', refs: { user_id: author } },
      );
      if (item) children.push(item);
      // A comment's problem fails its ticket: a ticket is imported with all its comments or not at all.
      for (const problem of child.failures) {
        reader.fail(`${prefix}.${problem.field ?? 'comment'}`, problem.reason);
      }
    });
  }
  const item = reader.item(fields, {
    kind: 'ticket',
    space: 'ticket',
    refs: { requester_id: requester, responder_id: responder, company_id: company },
    children,
  });
  return item
    ? { item }
    : { failures: reader.failures, records: 1 + (Array.isArray(comments) ? comments.length : 0) };
}

export const zendeskMappers: Readonly<
  Partial<Record<SourceEntity, (line: number, raw: Record<string, unknown>) => Mapped>>
> = {
  organizations: mapZendeskOrganization,
  users: mapZendeskUser,
  tickets: mapZendeskTicket,
};
