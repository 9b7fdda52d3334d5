import type { Principal } from '#domain/account';
import { AccessDeniedError, ValidationError } from '#domain/errors';
import type { ContactFields } from './contact-schema.ts';

/**
 * The personal fields a requester may rectify on their own profile. Not the e-mail address, the
 * contact's unique key; nor what the helpdesk keeps about them (company, tags, notes, other addresses,
 * external id, ticket visibility).
 */
export const requesterEditableFields: readonly (keyof ContactFields)[] = [
  'name',
  'phone',
  'mobile',
  'twitter_id',
  'address',
  'job_title',
  'language',
  'time_zone',
  'custom_fields',
];

/**
 * Refuses a requester's change to their profile that is not theirs to make: a changed e-mail address
 * is a 400 naming the field (`email_not_editable`); a field the helpdesk keeps is a 403 naming it.
 * Agents' changes pass unchecked here (field-level permissions apply to them elsewhere).
 */
export function checkRectification(
  principal: Principal,
  previous: Pick<ContactFields, 'email'>,
  changes: Partial<ContactFields>,
): void {
  if (principal.contactId === undefined) return;
  // Sending the address unchanged is fine (clients send whole profiles back); any other value is not.
  if ('email' in changes && (changes.email ?? null) !== previous.email) {
    throw new ValidationError([
      {
        field: 'email',
        message: 'The e-mail address is your unique key and cannot be changed; ask the helpdesk to change it',
        code: 'email_not_editable',
      },
    ]);
  }
  const refused = Object.keys(changes).filter(
    (field) => field !== 'email' && !requesterEditableFields.includes(field as keyof ContactFields),
  );
  if (refused.length) {
    throw new AccessDeniedError(`Only the helpdesk may change: ${refused.join(', ')}.`, refused[0]);
  }
}
