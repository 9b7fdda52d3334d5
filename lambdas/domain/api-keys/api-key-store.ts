import type { ApiKeyGrant } from '#domain/account';
import type { RecordChange } from '#domain/records/record-store';
import type { AuditEntry } from '#domain/records/record';

/** What an agent's key list shows of one key: never its secret nor its hash. */
export interface ApiKeyInfo {
  readonly keyId: number;
  /** The region prefix and a few characters; absent for keys issued before prefixes were kept. */
  readonly prefix?: string;
  readonly createdAt: string;
  /** The last day (YYYY-MM-DD, UTC) the key was used on, if it was. */
  readonly lastUsedOn?: string;
  readonly expiresAt?: string;
  readonly readOnly?: boolean;
  readonly integration?: boolean;
}

/** Agents' API keys: issued, listed and revoked one by one, or all of an agent's with other changes. */
export interface ApiKeyStore {
  /**
   * Issues a key to a live agent. NotFoundError unless the agent's profile is live; TooManyApiKeysError
   * (409) when the agent already holds `maxApiKeysPerAgent` keys. `audit` (on the agent) is written with it.
   */
  issue(key: ApiKeyGrant, createdAt: string, audit: AuditEntry): Promise<void>;
  /** The keys the agent holds, oldest first. */
  keysOf(accountId: string, agentId: number): Promise<ApiKeyInfo[]>;
  /** Revokes one key of the agent, with `audit`; false when the agent holds no key with that id. */
  revoke(accountId: string, agentId: number, keyId: number, audit: AuditEntry): Promise<boolean>;
  /**
   * Stores `changes` and revokes every key the agent holds in one transaction (all or nothing);
   * answers how many keys. ConflictError when a record or the agent's keys changed meanwhile.
   */
  commitRevokingKeys(changes: readonly RecordChange[], accountId: string, agentId: number): Promise<number>;
}
