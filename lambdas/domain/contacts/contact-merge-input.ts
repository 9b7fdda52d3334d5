import { z } from 'zod';
import { ValidationError } from '#domain/errors';
import { type ContactFields, normaliseEmail, normalisePhone } from './contact-schema.ts';

/** How many contacts one merge takes into its primary (a bound, so the request's checks stay small). */
export const maxMergedContacts = 30;

const text = z.string().trim().max(255);
const email = z.string().trim().max(254).email('It should be a valid email address');

/** The identifying values the merged contact keeps (v2's `contact`), each one the merged contacts hold. */
const keptSchema = z
  .object({
    email: email.nullable(),
    phone: text.nullable(),
    mobile: text.nullable(),
    twitter_id: text.nullable(),
    unique_external_id: text.nullable(),
    other_emails: z.array(email).max(10),
    company_ids: z.array(z.number().int().positive()).max(1, 'A contact here belongs to one company'),
  })
  .partial()
  .strict();

/** POST /api/v2/contacts/merge, Freshdesk v2 fields. */
export const contactMergeSchema = z
  .object({
    primary_contact_id: z.number().int().positive(),
    secondary_contact_ids: z.array(z.number().int().positive()).min(1).max(maxMergedContacts),
    contact: keptSchema.optional(),
  })
  .strict()
  .refine((body) => !body.secondary_contact_ids.includes(body.primary_contact_id), {
    message: 'It should not name primary_contact_id',
    path: ['secondary_contact_ids'],
  })
  .refine((body) => new Set(body.secondary_contact_ids).size === body.secondary_contact_ids.length, {
    message: 'It should name each contact once',
    path: ['secondary_contact_ids'],
  });
export type ContactMergeInput = z.infer<typeof contactMergeSchema>;
export type KeptValues = NonNullable<ContactMergeInput['contact']>;

type Identifying = Pick<
  ContactFields,
  'email' | 'phone' | 'mobile' | 'twitter_id' | 'unique_external_id' | 'other_emails' | 'company_id'
>;

/**
 * The primary's fields after the merge: what `kept` chooses, each value one that the primary or a
 * secondary holds (a merge chooses between the contacts, it does not edit them: else 400 naming the
 * field). An e-mail chosen leaves `other_emails` if it was there.
 */
export function keptFields(
  kept: KeptValues | undefined,
  contacts: readonly Identifying[],
): Partial<ContactFields> {
  if (!kept) return {};
  const emails = new Set(
    contacts
      .flatMap((c) => [c.email, ...c.other_emails])
      .filter((v): v is string => Boolean(v))
      .map(normaliseEmail),
  );
  const phones = new Set(
    contacts
      .flatMap((c) => [c.phone, c.mobile])
      .filter((v): v is string => Boolean(v))
      .map(normalisePhone),
  );
  const held = (name: 'twitter_id' | 'unique_external_id', value: string) =>
    contacts.some((contact) => contact[name] === value);
  const companies = new Set(contacts.map((c) => c.company_id));
  const errors: { field: string; message: string; code: string }[] = [];
  const refuse = (field: string) =>
    errors.push({
      field,
      message: 'It should be a value one of the merged contacts holds',
      code: 'invalid_value',
    });
  const fields: Partial<ContactFields> = {};
  if (kept.email !== undefined) {
    if (kept.email !== null && !emails.has(normaliseEmail(kept.email))) refuse('contact.email');
    fields.email = kept.email;
  }
  for (const name of ['phone', 'mobile'] as const) {
    const value = kept[name];
    if (value === undefined) continue;
    if (value !== null && !phones.has(normalisePhone(value))) refuse(`contact.${name}`);
    fields[name] = value;
  }
  for (const name of ['twitter_id', 'unique_external_id'] as const) {
    const value = kept[name];
    if (value === undefined) continue;
    if (value !== null && !held(name, value)) refuse(`contact.${name}`);
    fields[name] = value;
  }
  if (kept.other_emails !== undefined) {
    if (kept.other_emails.some((value) => !emails.has(normaliseEmail(value)))) refuse('contact.other_emails');
    fields.other_emails = kept.other_emails;
  }
  if (kept.company_ids !== undefined) {
    const company = kept.company_ids[0] ?? null;
    if (company !== null && !companies.has(company)) refuse('contact.company_ids');
    fields.company_id = company;
  }
  if (errors.length) throw new ValidationError(errors);
  const primaryEmail = fields.email !== undefined ? fields.email : contacts[0]?.email;
  if (primaryEmail && fields.other_emails) {
    fields.other_emails = fields.other_emails.filter(
      (o) => normaliseEmail(o) !== normaliseEmail(primaryEmail),
    );
  }
  return fields;
}
