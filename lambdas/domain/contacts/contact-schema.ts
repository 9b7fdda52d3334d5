import { z } from 'zod';
import type { PersonalFieldDeclaration } from '#domain/encryption/personal-field-declaration';

/** Normalised e-mail: the contact's unique key within an account. */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/**
 * Normalised phone number, as the phone and mobile filters compare them: digits only, with a leading
 * `+` kept (so "+49 30 1234-5" and "+493012345" match). Empty when the text holds no digit.
 */
export function normalisePhone(phone: string): string {
  const trimmed = phone.trim();
  const digits = trimmed.replace(/\D/g, '');
  return digits && trimmed.startsWith('+') ? `+${digits}` : digits;
}

const text = (max: number) => z.string().trim().max(max);
const email = z.string().trim().max(254).email('It should be a valid email address');

/** Writable contact fields, Freshdesk API v2 names and limits. Unknown fields are refused. */
export const contactFieldsSchema = z
  .object({
    name: text(255).min(1, 'It should not be blank'),
    email: email.nullable(),
    phone: text(255).nullable(),
    mobile: text(255).nullable(),
    twitter_id: text(255).nullable(),
    unique_external_id: text(255).nullable(),
    other_emails: z.array(email).max(10),
    company_id: z.number().int().positive().nullable(),
    view_all_tickets: z.boolean(),
    address: text(255).nullable(),
    description: text(10_000).nullable(),
    job_title: text(255).nullable(),
    language: text(10),
    time_zone: text(64),
    tags: z.array(text(32).min(1)).max(50),
    custom_fields: z.record(
      z.string().max(64),
      z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]),
    ),
  })
  .strict();

export type ContactFields = z.infer<typeof contactFieldsSchema>;

/** Which contact fields are personal (sealed under the contact's key; docs/encryption.md). */
export const contactPersonalFields: PersonalFieldDeclaration<ContactFields> = {
  name: 'personal',
  email: 'personal',
  phone: 'personal',
  mobile: 'personal',
  twitter_id: 'personal',
  unique_external_id: 'personal',
  other_emails: 'personal',
  company_id: 'plain',
  view_all_tickets: 'plain',
  address: 'personal',
  description: 'personal',
  job_title: 'personal',
  language: 'plain',
  time_zone: 'plain',
  tags: 'personal',
  custom_fields: 'personal',
};

const identifiers = ['email', 'phone', 'mobile', 'twitter_id', 'unique_external_id'] as const;

export const createContactSchema = contactFieldsSchema
  .partial()
  .required({ name: true })
  .strict()
  .refine((body) => identifiers.some((field) => body[field]), {
    message: 'Please fill at least 1 of email, mobile, phone, twitter_id, unique_external_id fields',
    path: ['email'],
  });

export const updateContactSchema = contactFieldsSchema
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'The request contains no field to update',
    path: ['body'],
  });

export const contactDefaults: Omit<ContactFields, 'name'> = {
  email: null,
  phone: null,
  mobile: null,
  twitter_id: null,
  unique_external_id: null,
  other_emails: [],
  company_id: null,
  view_all_tickets: false,
  address: null,
  description: null,
  job_title: null,
  language: 'en',
  time_zone: 'UTC',
  tags: [],
  custom_fields: {},
};
