import type { AccountStore } from '#domain/account';
import { dayOf } from '#domain/api-keys/key-restrictions';

/** How many keys a container remembers having noted; it forgets them all past this (and notes again). */
const maxRemembered = 1000;

/**
 * Notes the day an API key was used (its `last_used_on`), at most once per key and day in a container:
 * the first request of a key each day makes one conditional write (which does nothing if another
 * container noted the day already); every later request that day makes none. A failed note is not
 * remembered (the next request tries again) and never refuses the request: it is bookkeeping, not a check.
 */
export function keyUseNotes(accounts: Pick<AccountStore, 'noteApiKeyUsed'>, clock: () => number) {
  const notedOn = new Map<string, string>();
  return {
    async note(apiKeyHash: string): Promise<void> {
      const day = dayOf(clock());
      if (notedOn.get(apiKeyHash) === day) return;
      try {
        await accounts.noteApiKeyUsed(apiKeyHash, day);
      } catch {
        return;
      }
      if (notedOn.size >= maxRemembered) notedOn.clear();
      notedOn.set(apiKeyHash, day);
    },
  };
}
