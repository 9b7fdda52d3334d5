import { z } from 'zod';

/** Freshdesk v2 codes. */
export const ticketStatuses = { open: 2, pending: 3, resolved: 4, closed: 5 } as const;
export const ticketPriorities = { low: 1, medium: 2, high: 3, urgent: 4 } as const;
export const ticketSources = {
  email: 1,
  portal: 2,
  phone: 3,
  chat: 7,
  feedback_widget: 9,
  outbound_email: 10,
} as const;

const codeOf = <T extends Record<string, number>>(codes: T, name: string) =>
  z
    .number()
    .int()
    .refine((value) => Object.values(codes).includes(value), {
      message: `It should be one of these values: ${Object.values(codes).join(',')} (${name})`,
    });

const text = (max: number) => z.string().trim().max(max);
const email = z.string().trim().max(254).email('It should be a valid email address');
const id = z.number().int().positive();

/** Ticket fields a client may set, Freshdesk API v2 names and limits. Unknown fields are refused. */
export const ticketFieldsSchema = z
  .object({
    subject: text(255).min(1, 'It should not be blank'),
    description: z.string().max(100_000),
    status: codeOf(ticketStatuses, 'status'),
    priority: codeOf(ticketPriorities, 'priority'),
    source: codeOf(ticketSources, 'source'),
    type: text(255).nullable(),
    requester_id: id,
    responder_id: id.nullable(),
    group_id: id.nullable(),
    company_id: id.nullable(),
    product_id: id.nullable(),
    cc_emails: z.array(email).max(50),
    tags: z.array(text(32).min(1)).max(50),
    due_by: z.iso.datetime({ offset: true }).nullable(),
    fr_due_by: z.iso.datetime({ offset: true }).nullable(),
    custom_fields: z.record(
      z.string().max(64),
      z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]),
    ),
  })
  .strict();

export type TicketFields = z.infer<typeof ticketFieldsSchema>;

/** Create: the requester by id or by e-mail (a new contact is created for an unknown e-mail), as v2 does. */
export const createTicketSchema = ticketFieldsSchema
  .partial()
  .extend({ email: email.optional(), name: text(255).min(1).optional() })
  .required({ subject: true, description: true })
  .strict()
  .refine((body) => body.requester_id !== undefined || body.email !== undefined, {
    message: 'Please fill at least 1 of requester_id, email fields',
    path: ['requester_id'],
  });

export type CreateTicketInput = z.infer<typeof createTicketSchema>;

/**
 * Create by a requester through a portal token: what they may say about their request. They are its
 * requester; status, assignment, group, company and tags are the helpdesk's to set.
 */
export const requesterTicketSchema = ticketFieldsSchema
  .pick({
    subject: true,
    description: true,
    priority: true,
    type: true,
    cc_emails: true,
    custom_fields: true,
  })
  .partial()
  .required({ subject: true, description: true })
  .strict();

export const updateTicketSchema = ticketFieldsSchema
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'The request contains no field to update',
    path: ['body'],
  });

export const ticketDefaults = {
  status: ticketStatuses.open,
  priority: ticketPriorities.low,
  source: ticketSources.portal,
  type: null,
  responder_id: null,
  group_id: null,
  company_id: null,
  product_id: null,
  cc_emails: [],
  tags: [],
  due_by: null,
  fr_due_by: null,
  custom_fields: {},
} satisfies Partial<TicketFields>;
