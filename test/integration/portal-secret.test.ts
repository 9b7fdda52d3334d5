import { randomBytes } from 'node:crypto';
import { DecryptCommand, InvalidCiphertextException } from '@aws-sdk/client-kms';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { portalSecretKey } from '../../lambdas/adapters/keys.ts';
import { isValidPortalToken, signPortalToken } from '../../lambdas/domain/contacts/portal-token.ts';
import { apiCaller, createTestAccount, type TestAccount } from './test-accounts.ts';
import { emulatorDocumentClient, emulatorKmsClient } from './emulator-clients.ts';

/**
 * The portal-token secret on the local platform: stored only as a KMS ciphertext (the local KMS
 * endpoint), bound to its account and purpose; rotated by admins, after which old tokens answer 401.
 */
const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const kms = emulatorKmsClient(platform, 'eea');
const call = apiCaller(url);
let account: TestAccount;
let contactId: number;

beforeAll(async () => {
  account = await createTestAccount(client, table, 'eea');
  const contact = await call('POST', '/api/v2/contacts', account.keys.admin, {
    name: 'Portal User',
    email: 'portal-user@example.test',
  });
  contactId = contact.body.id;
});
afterAll(() => {
  client.destroy();
  kms.destroy();
});

const asRequester = async (token: string) =>
  (await fetch(`${url}/api/v2/contacts/${contactId}`, { headers: { authorization: `Bearer ${token}` } }))
    .status;
const issue = async () => {
  const issued = await call('POST', `/api/v2/contacts/${contactId}/portal_token`, account.keys.admin);
  expect(issued.status).toBe(201);
  return issued.body.token as string;
};
const storedItem = async (accountId: string) =>
  (
    await client.send(
      new GetCommand({ TableName: table, Key: portalSecretKey(accountId), ConsistentRead: true }),
    )
  ).Item;
const decrypt = (ciphertext: Uint8Array, context?: Record<string, string>) =>
  kms.send(new DecryptCommand({ CiphertextBlob: ciphertext, EncryptionContext: context }));

describe('the portal-token secret at rest', () => {
  it('is stored only as a KMS ciphertext that decrypts with its account and purpose, and no other context', async () => {
    // Prepare
    const token = await issue();

    // Act
    const item = await storedItem(account.id);
    const ciphertext = item?.secret_ciphertext as Uint8Array;
    const context = { purpose: 'portal-token-secret', account: account.id };
    const decrypted = await decrypt(ciphertext, context).catch((error: unknown) => error);
    const refusals = await Promise.all(
      [
        { purpose: 'portal-token-secret', account: crypto.randomUUID() },
        { purpose: 'something-else', account: account.id },
        undefined,
      ].map((other) => decrypt(ciphertext, other).catch((error: unknown) => error)),
    );

    // Assess: the item holds no plaintext attribute; what KMS answers is the signing secret, in no form in the item
    expect(item).not.toHaveProperty('secret');
    expect(Object.keys(item ?? {}).sort()).toEqual([
      'created_at',
      'generation',
      'pk',
      'secret_ciphertext',
      'sk',
      'type',
    ]);
    const secret = Buffer.from((decrypted as { Plaintext?: Uint8Array }).Plaintext ?? []);
    expect(isValidPortalToken(secret, token, new Date())).toBe(true);
    const stored = JSON.stringify(item, (_, value) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
    );
    for (const encoding of ['hex', 'base64', 'base64url'] as const) {
      expect(stored.includes(secret.toString(encoding))).toBe(false);
    }
    expect(Buffer.from(ciphertext).includes(secret)).toBe(false);
    for (const refusal of refusals) expect(refusal).toBeInstanceOf(InvalidCiphertextException);
  });
});

describe('POST /api/v2/admin/portal_token_secret/rotate', () => {
  it('makes every token issued before answer 401 while new tokens work; admins only; audited without values', async () => {
    // Prepare
    const before = await issue();
    expect(await asRequester(before)).toBe(200);
    const generationBefore = (await storedItem(account.id))?.generation as number;

    // Act
    const byAgent = await call('POST', '/api/v2/admin/portal_token_secret/rotate', account.keys.agent);
    const rotated = await call('POST', '/api/v2/admin/portal_token_secret/rotate', account.keys.admin);
    const oldAfter = await asRequester(before);
    const after = await issue();
    const newAfter = await asRequester(after);
    const trail = await call(
      'GET',
      '/api/v2/audit_log?record_type=portal_secret&record_id=1',
      account.keys.admin,
    );

    // Assess
    expect(byAgent.status).toBe(403);
    expect(rotated.status).toBe(200);
    expect(Object.keys(rotated.body)).toEqual(['rotated_at']);
    expect(Date.parse(rotated.body.rotated_at)).not.toBeNaN();
    expect(oldAfter).toBe(401);
    expect(newAfter).toBe(200);
    expect((await storedItem(account.id))?.generation).toBe(generationBefore + 1);
    expect(trail.body[0]).toMatchObject({
      operation: 'update',
      record_type: 'portal_secret',
      changed_fields: ['secret'],
      actor: { type: 'agent' },
    });
    expect(trail.body.at(-1)).toMatchObject({ operation: 'create', changed_fields: ['secret'] });
  });

  it('answers 403 to a portal token, as every route no requester may call', async () => {
    const token = await issue();

    const response = await fetch(`${url}/api/v2/admin/portal_token_secret/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });

    expect(response.status).toBe(403);
  });
});

describe('a plaintext secret stored before encryption', () => {
  it('is never used: its tokens answer 401, and the next token issued replaces it by an encrypted one', async () => {
    // Prepare: an item as the platform wrote it before, for a fresh account
    const legacy = await createTestAccount(client, table, 'eea');
    const plaintext = randomBytes(32);
    await client.send(
      new PutCommand({
        TableName: table,
        Item: { ...portalSecretKey(legacy.id), type: 'portal_secret', secret: plaintext.toString('base64') },
      }),
    );
    const contact = await call('POST', '/api/v2/contacts', legacy.keys.admin, {
      name: 'Legacy User',
      email: 'legacy-user@example.test',
    });
    const legacyToken = signPortalToken(plaintext, {
      homeRegion: 'eea',
      accountId: legacy.id,
      contactId: contact.body.id,
      expiresAt: Math.floor(Date.now() / 1000) + 600,
      generation: 1,
    });
    const bearer = async (token: string) =>
      (
        await fetch(`${url}/api/v2/contacts/${contact.body.id}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).status;

    // Act
    const refused = await bearer(legacyToken);
    const issued = await call('POST', `/api/v2/contacts/${contact.body.id}/portal_token`, legacy.keys.admin);
    const item = await storedItem(legacy.id);

    // Assess
    expect(refused).toBe(401);
    expect(issued.status).toBe(201);
    expect(await bearer(issued.body.token)).toBe(200);
    expect(item).not.toHaveProperty('secret');
    expect(item?.secret_ciphertext).toBeInstanceOf(Uint8Array);
  });
});
