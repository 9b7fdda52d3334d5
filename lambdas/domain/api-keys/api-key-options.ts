import { z } from 'zod';
import { ValidationError } from '#domain/errors';

/** The longest a key may live: two years (730 days) from its issue. */
export const maxApiKeyLifetimeDays = 730;

/** POST …/api_keys: every option optional (none: a key that never expires, reads and writes). */
export const createApiKeySchema = z
  .object({
    /** When the key stops working (ISO 8601 instant, in the future, at most two years away). */
    expires_at: z.iso.datetime({ offset: true }).optional(),
    /** The key may only read (GET); other methods are refused with 403. */
    read_only: z.boolean().optional(),
    /** A key for an integration rather than a person (admins only). */
    integration: z.boolean().optional(),
  })
  .strict();

export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

/** The expiry as stored (UTC, ISO), checked against `now`: in the future, at most two years away. */
export function checkedExpiry(expiresAt: string | undefined, now: Date): string | undefined {
  if (expiresAt === undefined) return undefined;
  const at = new Date(expiresAt);
  const latest = now.getTime() + maxApiKeyLifetimeDays * 24 * 60 * 60 * 1000;
  if (at.getTime() <= now.getTime() || at.getTime() > latest) {
    throw new ValidationError([
      {
        field: 'expires_at',
        message: `It should be in the future and at most ${maxApiKeyLifetimeDays} days away`,
        code: 'invalid_value',
      },
    ]);
  }
  return at.toISOString();
}
