import { recordViewSchema } from '#domain/records/record-view-schema';
import { z } from 'zod';
import type { Principal } from '#domain/account';
import type { ContactServiceDependencies } from '#domain/contacts/contact-service';
import type { Paging } from '#domain/records/paging';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import { readTicket, type TicketOwnership, ticketFilterFor } from '#domain/tickets/ticket-access';
import type { RecordRef, StoredRecord, SubjectRef } from '#domain/records/record';
import type { TicketFields } from '#domain/tickets/ticket-schema';
import type { PersonalFieldDeclaration } from '#domain/encryption/personal-field-declaration';

/** Freshdesk v2 rating values, from extremely happy (103) through neutral (100) to extremely unhappy (-103). */
export const ratingValues = [103, 102, 101, 100, -101, -102, -103] as const;
const ratingValue = z
  .number()
  .int()
  .refine((value) => (ratingValues as readonly number[]).includes(value), {
    message: `It should be one of these values: ${ratingValues.join(',')}`,
  });

export const createRatingSchema = z
  .object({
    ratings: z
      .record(z.string().min(1).max(64), ratingValue)
      .refine((ratings) => 'default_question' in ratings, { message: 'default_question should be rated' }),
    feedback: z.string().max(10_000).optional(),
  })
  .strict();

export interface RatingFields {
  survey_id: number;
  user_id: number;
  agent_id: number | null;
  group_id: number | null;
  ticket_id: number;
  feedback: string | null;
  ratings: Record<string, number>;
}

export type StoredRating = StoredRecord<RatingFields>;

/** Which rating fields are personal: the feedback text; the ratings are codes (docs/encryption.md). */
export const ratingPersonalFields: PersonalFieldDeclaration<RatingFields> = {
  survey_id: 'plain',
  user_id: 'plain',
  agent_id: 'plain',
  group_id: 'plain',
  ticket_id: 'plain',
  feedback: 'personal',
  ratings: 'plain',
};
const ratingRef = (id: number): RecordRef => ({ type: 'satisfaction_rating', id });
const byUser = (contactId: number) => `requester#${contactId}#rating`;
const byTicket = (ticketId: number) => `ticket#${ticketId}#rating`;

/** A rating holds its requester's opinion and names the agent rated; it is listed by user and by ticket. */
export function deriveRating(record: StoredRating): StoredRating {
  const subjects: SubjectRef[] = [{ kind: 'contact', id: record.fields.user_id }];
  if (record.fields.agent_id) subjects.push({ kind: 'agent', id: record.fields.agent_id });
  return {
    ...record,
    subjects,
    parent: { key: byUser(record.fields.user_id) },
    secondaryParent: { key: byTicket(record.fields.ticket_id) },
  };
}

/** Satisfaction ratings: a requester's rating of a ticket (brief, seed 002). */
export class RatingService {
  private readonly lifecycle: RecordLifecycle<RatingFields>;

  constructor(private readonly deps: ContactServiceDependencies) {
    this.lifecycle = new RecordLifecycle(deps, deriveRating, 'The rating could not be saved.');
  }

  async create(
    principal: Principal,
    ticketId: number,
    input: z.infer<typeof createRatingSchema>,
  ): Promise<StoredRating> {
    const ticket = await readTicket<TicketFields>(this.deps.store, principal, ticketId, { toChange: true });
    const at = this.deps.now().toISOString();
    const record: StoredRating = {
      accountId: principal.accountId,
      ref: ratingRef(this.deps.newId()),
      version: 1,
      createdAt: at,
      updatedAt: at,
      fields: {
        survey_id: 1,
        user_id: ticket.fields.requester_id,
        agent_id: ticket.fields.responder_id,
        group_id: ticket.fields.group_id,
        ticket_id: ticket.ref.id,
        feedback: input.feedback ?? null,
        ratings: input.ratings,
      },
      subjects: [],
    };
    return this.lifecycle.create(principal, record, Object.keys(input));
  }

  /**
   * All ratings, or one user's, optionally only those created since a point in time; newest first. A
   * scoped agent sees the ratings of tickets that were in their scope when rated (the rating keeps the
   * ticket's group and agent of that moment).
   */
  list(principal: Principal, filters: Paging & { user_id?: number; created_since?: string }) {
    const paging: Paging = { page: filters.page, perPage: filters.perPage, cursor: filters.cursor };
    const keep = ticketFilterFor<TicketOwnership>(principal);
    const where = keep && ((record: StoredRating) => keep(asTicketOwnership(record)));
    if (filters.user_id) {
      return this.deps.store.listByParent<RatingFields>(principal.accountId, byUser(filters.user_id), {
        ...paging,
        createdSince: filters.created_since,
        where,
      });
    }
    // Ratings never change, so their collection order (by update time) is their creation order.
    return this.deps.store.list<RatingFields>(principal.accountId, 'satisfaction_rating', {
      ...paging,
      updatedSince: filters.created_since,
      where,
    });
  }

  async listForTicket(principal: Principal, ticketId: number, paging: Paging) {
    await readTicket(this.deps.store, principal, ticketId, { includeDeleted: true });
    return this.deps.store.listByParent<RatingFields>(principal.accountId, byTicket(ticketId), {
      ...paging,
      secondary: true,
    });
  }
}

/** A rating judged by the ticket it rated, as that ticket was when rated. */
const asTicketOwnership = (record: StoredRating): StoredRecord<TicketOwnership> => ({
  ...record,
  fields: {
    requester_id: record.fields.user_id,
    responder_id: record.fields.agent_id,
    group_id: record.fields.group_id,
  },
});

export const ratingViewSchema = recordViewSchema({
  survey_id: z.number().int(),
  user_id: z.number().int(),
  agent_id: z.number().int().nullable(),
  group_id: z.number().int().nullable(),
  ticket_id: z.number().int(),
  feedback: z.string().nullable(),
  ratings: z.record(z.string(), z.number()),
});
export function ratingView(record: StoredRating): z.infer<typeof ratingViewSchema> {
  return { id: record.ref.id, ...record.fields, created_at: record.createdAt, updated_at: record.updatedAt };
}
