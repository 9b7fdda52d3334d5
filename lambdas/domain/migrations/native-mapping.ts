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
import type { SourceEntity } from './migration.ts';
import type { Mapped } from './zendesk-mapping.ts';

/**
 * Our own format: one file per entity type, NDJSON or CSV, columns named as Freshdesk v2 names the
 * fields (docs/migrations.md). Ids are the source system's; references name those ids.
 */
const done = (reader: FieldReader, item: ReturnType<FieldReader['item']>): Mapped =>
  item ? { item } : { failures: reader.failures };

export function mapNativeCompany(line: number, raw: Record<string, unknown>): Mapped {
  const reader = new FieldReader('companies', line, raw);
  const fields = reader.validate(companyFieldsSchema.partial().required({ name: true }), {
    name: reader.text('name'),
    description: reader.text('description') ?? null,
    note: reader.text('note') ?? null,
    domains: reader.list('domains'),
    industry: reader.text('industry') ?? null,
  });
  return done(reader, reader.item(fields, { kind: 'company', space: 'company' }));
}

export function mapNativeContact(line: number, raw: Record<string, unknown>): Mapped {
  const reader = new FieldReader('contacts', line, raw);
  const company = reader.ref('company_id', 'company', ['company']);
  const text = (name: string) => reader.text(name) ?? null;
  const fields = reader.validate(contactFieldsSchema.partial().required({ name: true }), {
    name: reader.text('name'),
    email: text('email'),
    phone: text('phone'),
    mobile: text('mobile'),
    twitter_id: text('twitter_id'),
    unique_external_id: text('unique_external_id'),
    job_title: text('job_title'),
    address: text('address'),
    description: text('description'),
    language: reader.text('language'),
    time_zone: reader.text('time_zone'),
    tags: reader.list('tags'),
  });
  if (
    fields &&
    !['email', 'phone', 'mobile', 'twitter_id', 'unique_external_id'].some((name) => fields[name as 'email'])
  ) {
    reader.fail('email', 'A contact needs an email, phone, mobile, twitter_id or unique_external_id.');
  }
  return done(
    reader,
    reader.item(fields, { kind: 'contact', space: 'contact', refs: { company_id: company } }),
  );
}

export function mapNativeAgent(line: number, raw: Record<string, unknown>): Mapped {
  const reader = new FieldReader('agents', line, raw);
  const fields = reader.validate(updateAgentSchema.required({ name: true, email: true }), {
    name: reader.text('name'),
    email: reader.text('email'),
    role: reader.text('role') ?? 'agent',
    phone: reader.text('phone') ?? null,
    mobile: reader.text('mobile') ?? null,
    job_title: reader.text('job_title') ?? null,
    language: reader.text('language'),
    time_zone: reader.text('time_zone'),
  });
  return done(reader, reader.item(fields, { kind: 'agent', space: 'agent' }));
}

export function mapNativeTicket(line: number, raw: Record<string, unknown>): Mapped {
  const reader = new FieldReader('tickets', line, raw);
  const refs = {
    requester_id: reader.ref('requester_id', 'contact', ['contact'], true),
    responder_id: reader.ref('responder_id', 'agent', ['agent']),
    company_id: reader.ref('company_id', 'company', ['company']),
  };
  const fields = reader.validate(
    ticketFieldsSchema
      .omit({ requester_id: true, responder_id: true, company_id: true })
      .partial()
      .required({ subject: true, description: true }),
    {
      subject: reader.text('subject'),
      description: reader.text('description') ?? '',
      status: reader.integer('status') ?? ticketStatuses.open,
      priority: reader.integer('priority') ?? ticketPriorities.low,
      source: reader.integer('source') ?? ticketSources.portal,
      type: reader.text('type') ?? null,
      tags: reader.list('tags'),
      due_by: reader.instant('due_by') ?? null,
    },
  );
  return done(reader, reader.item(fields, { kind: 'ticket', space: 'ticket', refs }));
}

const conversationSchema = z.object({
  body: z.string().min(1, 'It should not be blank').max(100_000),
  private: z.boolean(),
  incoming: z.boolean(),
  source: z.union([z.literal(0), z.literal(2)]),
});

export function mapNativeConversation(line: number, raw: Record<string, unknown>): Mapped {
  const reader = new FieldReader('conversations', line, raw);
  const authorType = reader.text('author_type') ?? 'agent';
  if (authorType !== 'contact' && authorType !== 'agent')
    reader.fail('author_type', 'It should be contact or agent.');
  const refs = {
    ticket_id: reader.ref('ticket_id', 'ticket', ['ticket'], true),
    user_id: reader.ref(
      'user_id',
      authorType === 'contact' ? 'contact' : 'agent',
      [authorType === 'contact' ? 'contact' : 'agent'],
      true,
    ),
  };
  const isPrivate = reader.boolean('private') ?? false;
  const fields = reader.validate(conversationSchema, {
    body: reader.text('body'),
    private: isPrivate,
    incoming: reader.boolean('incoming') ?? authorType === 'contact',
    source: isPrivate ? 2 : 0,
  });
  return done(reader, reader.item(fields, { kind: 'conversation', space: 'conversation', refs }));
}

export const nativeMappers: Readonly<
  Partial<Record<SourceEntity, (line: number, raw: Record<string, unknown>) => Mapped>>
> = {
  companies: mapNativeCompany,
  contacts: mapNativeContact,
  agents: mapNativeAgent,
  tickets: mapNativeTicket,
  conversations: mapNativeConversation,
};
