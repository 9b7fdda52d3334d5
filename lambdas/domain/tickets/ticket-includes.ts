import { z } from 'zod';
import type { Principal } from '#domain/account';
import type { CompanyFields } from '#domain/companies/company-service';
import type { ContactFields } from '#domain/contacts/contact-schema';
import type { Form } from '#domain/fields/form';
import type { RecordStore } from '#domain/records/record-store';
import { type StoredTicket, ticketStatsView } from './ticket-service.ts';

/** What `include=` may embed in a list of tickets (Freshdesk v2). */
export const ticketListIncludes = ['requester', 'description', 'company', 'stats'] as const;
/** What `include=` may embed in one ticket (its description is always shown). */
export const ticketViewIncludes = ['requester', 'company', 'stats', 'conversations'] as const;

export type TicketInclude = (typeof ticketListIncludes)[number] | (typeof ticketViewIncludes)[number];

/** v2's `include` parameter: a comma-separated list of the names `allowed`, each at most once. */
export function includeParameter<const T extends readonly TicketInclude[]>(allowed: T) {
  return z
    .string()
    .max(200)
    .transform((value, context) => {
      const names = value.split(',').map((name) => name.trim());
      const unknown = names.filter((name) => !(allowed as readonly string[]).includes(name));
      if (unknown.length > 0) {
        context.addIssue({
          code: 'custom',
          message: `It should be one of these values: ${allowed.join(',')}`,
        });
        return z.NEVER;
      }
      return new Set(names as T[number][]);
    })
    .optional();
}

/** The requester as v2 embeds them: `{ id, name, email, mobile, phone }`, as the caller may see them. */
export interface EmbeddedRequester {
  readonly id: number;
  readonly name: string;
  readonly email?: string | null;
  readonly mobile?: string | null;
  readonly phone?: string | null;
  readonly custom_fields?: never;
}

const nullableString = z.string().nullable();
/** What `include=` adds to a ticket's view (`conversations` apart: tickets embed those themselves). */
export const ticketIncludesSchema = z.strictObject({
  stats: z
    .strictObject({
      first_responded_at: nullableString,
      agent_responded_at: nullableString,
      requester_responded_at: nullableString,
      status_updated_at: nullableString,
      reopened_at: nullableString,
      pending_since: nullableString,
      resolved_at: nullableString,
      closed_at: nullableString,
    })
    .optional(),
  /** Null when the requester is no longer there; without the fields the caller's form hides. */
  requester: z
    .strictObject({
      id: z.number().int(),
      name: z.string().optional(),
      email: nullableString.optional(),
      mobile: nullableString.optional(),
      phone: nullableString.optional(),
    })
    .nullable()
    .optional(),
  company: z.strictObject({ id: z.number().int(), name: z.string() }).nullable().optional(),
});

/**
 * Embeds what `include=` asks for in tickets: their stats (kept on the ticket), and their requesters
 * and companies, read together (one BatchGetItem per kind for a page, whatever its size), the
 * requester's fields redacted as the caller's contact form hides them. A requester or company no
 * longer there is `null`.
 */
export class TicketIncludes {
  constructor(private readonly deps: { readonly store: RecordStore }) {}

  async embedder(
    principal: Principal,
    tickets: readonly StoredTicket[],
    include: ReadonlySet<TicketInclude>,
    contactForm: () => Promise<Form>,
  ): Promise<(ticket: StoredTicket) => z.infer<typeof ticketIncludesSchema>> {
    const requesters = include.has('requester')
      ? await this.requesters(principal, tickets, await contactForm())
      : undefined;
    const companies = include.has('company') ? await this.companies(principal, tickets) : undefined;
    return (ticket) => ({
      ...(include.has('stats') && { stats: ticketStatsView(ticket) }),
      ...(requesters && { requester: requesters.get(ticket.fields.requester_id) ?? null }),
      ...(companies && {
        company: ticket.fields.company_id ? (companies.get(ticket.fields.company_id) ?? null) : null,
      }),
    });
  }

  private async requesters(principal: Principal, tickets: readonly StoredTicket[], form: Form) {
    const ids = [...new Set(tickets.map((ticket) => ticket.fields.requester_id))];
    const contacts = await this.deps.store.getMany<ContactFields>(
      principal.accountId,
      ids.map((id) => ({ type: 'contact', id })),
    );
    return new Map(
      contacts
        .filter((contact) => !contact.deletedAt)
        .map((contact): [number, EmbeddedRequester] => [
          contact.ref.id,
          form.redact<EmbeddedRequester>({
            id: contact.ref.id,
            name: contact.fields.name,
            email: contact.fields.email,
            mobile: contact.fields.mobile,
            phone: contact.fields.phone,
          }),
        ]),
    );
  }

  private async companies(principal: Principal, tickets: readonly StoredTicket[]) {
    const ids = [...new Set(tickets.flatMap((ticket) => ticket.fields.company_id ?? []))];
    if (ids.length === 0) return new Map<number, { id: number; name: string }>();
    const companies = await this.deps.store.getMany<CompanyFields>(
      principal.accountId,
      ids.map((id) => ({ type: 'company', id })),
    );
    return new Map(
      companies
        .filter((company) => !company.deletedAt)
        .map((company) => [company.ref.id, { id: company.ref.id, name: company.fields.name }]),
    );
  }
}
