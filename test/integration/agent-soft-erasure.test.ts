import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { apiKeyKey, apiKeyRingKey } from '../../lambdas/adapters/keys.ts';
import { ERASED_SK, RECORD_SK, recordPk, trashPk } from '../../lambdas/adapters/record-keys.ts';
import { anonymisedFields } from '../../lambdas/domain/privacy/agent-anonymisation.ts';
import type { RecordRef, RecordType } from '../../lambdas/domain/records/record.ts';
import { fromItem, type RecordItem } from '../../lambdas/adapters/record-items.ts';
import { createTestAccount, linkedRecords } from './account-fixture.ts';
import { trashPurgeWatch } from './trash-purge-watch.ts';
import { openedItem } from './opened-items.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { apiCaller, completed, type PrivacyRequestView, privacyRequestOnceDone } from './test-accounts.ts';

const platform = inject('localPlatform');
const region = 'us' as const;
const { url, table } = platform.regions[region];
const client = emulatorDocumentClient(platform);
afterAll(() => client.destroy());

const requests = '/api/v2/privacy/requests';
const agentId = 901;

/**
 * An account whose agent 901 (every profile field marked) replied, noted, responds to a ticket and
 * watches it.
 */
async function agentWithContributions() {
  const marker = `mk${randomUUID().replaceAll('-', '')}`;
  const made = await createTestAccount(client, table, region, [
    { id: 900, role: 'admin' },
    {
      id: agentId,
      role: 'agent',
      fields: { name: `Agent ${marker}`, email: `${marker}@agents.example.test`, signature: `Sig ${marker}` },
    },
  ]);
  const [adminKey = '', agentKey = ''] = made.agents.map(({ key }) => key);
  const call = apiCaller(url);
  const admin = (method: string, path: string, body?: unknown) => call(method, path, adminKey, body);
  const agent = (method: string, path: string, body?: unknown) => call(method, path, agentKey, body);
  const ticket = await admin('POST', '/api/v2/tickets', {
    subject: 'A question',
    description: 'About something',
    email: 'requester@example.test',
    responder_id: agentId,
  });
  const t = ticket.body.id as number;
  const answers = [
    ticket,
    await agent('POST', `/api/v2/tickets/${t}/reply`, {
      body: 'Agent reply',
      from_email: `${marker}@agents.example.test`,
    }),
    await agent('POST', `/api/v2/tickets/${t}/notes`, { body: 'Agent note' }),
  ];
  for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  expect((await agent('POST', `/api/v2/tickets/${t}/watch`)).status).toBe(204);
  return { id: made.id, marker, ticket: t, adminKey, admin, agent };
}
type Account = Awaited<ReturnType<typeof agentWithContributions>>;

const itemOf = async (key: Record<string, unknown>) =>
  (await client.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
const recordItem = (accountId: string, ref: RecordRef) =>
  itemOf({ pk: recordPk(accountId, ref), sk: RECORD_SK });

/** The exact items of the agent: profile, key ring and keys, subject links, and each linked record. */
async function agentItems(accountId: string) {
  const links = await linkedRecords(client, table, accountId, { kind: 'agent', id: agentId });
  const records: Record<string, unknown> = {};
  for (const link of links) {
    const [type, id] = link.split('#');
    records[link] = await recordItem(accountId, { type: type as RecordType, id: Number(id) });
  }
  const ring = await itemOf(apiKeyRingKey(accountId, agentId));
  const keys = [];
  for (const hash of (ring?.key_hashes as Set<string> | undefined) ?? [])
    keys.push(await itemOf(apiKeyKey(hash)));
  return { links: links.sort(), records, ring, keys };
}

/** Waits (through the auth caches' few seconds) until the agent's own key answers `status`. */
async function keyAnswers(account: Account, status: number): Promise<number> {
  let answered = 0;
  for (let attempt = 0; attempt < 40; attempt++) {
    answered = (await account.agent('GET', '/api/v2/agents/me')).status;
    if (answered === status) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return answered;
}

async function softErased(account: Account) {
  const created = await account.admin('POST', requests, {
    type: 'erasure',
    mode: 'soft',
    subject: { type: 'agent', id: agentId },
    channel: 'email',
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const preview = await account.admin('GET', `${requests}/${created.body.id}/preview`);
  await account.admin('POST', `${requests}/${created.body.id}/verify`, { method: 'email_confirmation' });
  const done = await privacyRequestOnceDone(
    url,
    account.adminKey,
    `${requests}/${created.body.id}`,
    completed,
  );
  return {
    id: created.body.id as number,
    preview,
    done: done as PrivacyRequestView & { certificate: Record<string, unknown> },
  };
}

async function trashEntries(accountId: string, requestId: number) {
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :trashed)',
      ExpressionAttributeValues: { ':pk': trashPk(accountId, requestId), ':trashed': 'TRASHED#' },
    }),
  );
  return Items;
}

async function accountText(accountId: string): Promise<string> {
  const parts: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) {
      if (JSON.stringify(item).includes(accountId)) {
        // As the platform reads it: a subject's sealed fields are looked for opened.
        const opened = await openedItem(client, table, item);
        parts.push(JSON.stringify(opened, (_k, v) => (v instanceof Set ? [...v] : v)));
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return parts.join('\n');
}

/** A record item as the platform reads it: its personal fields opened. */
const openedRecord = async (item: RecordItem) =>
  fromItem(
    (await openedItem(client, table, item as unknown as Record<string, unknown>)) as unknown as RecordItem,
  );

describe("an agent's soft erasure", () => {
  it('hides the agent and stops their key, shows placeholders, and a restore brings every item back byte for byte', async () => {
    // Prepare
    const account = await agentWithContributions();
    const before = await agentItems(account.id);
    expect(await keyAnswers(account, 200)).toBe(200);

    // Act
    const { id, preview, done } = await softErased(account);
    const erased = {
      key: await keyAnswers(account, 401),
      profile: (await account.admin('GET', `/api/v2/agents/${agentId}`)).status,
      listed: ((await account.admin('GET', '/api/v2/agents')).body as { id: number }[]).map((a) => a.id),
      conversations: (await account.admin('GET', `/api/v2/tickets/${account.ticket}/conversations`)).body,
      ticket: (await account.admin('GET', `/api/v2/tickets/${account.ticket}`)).body,
      links: await linkedRecords(client, table, account.id, { kind: 'agent', id: agentId }),
      watchers: (await account.admin('GET', `/api/v2/tickets/${account.ticket}/watchers`)).body,
    };
    const restoring = await account.admin('POST', `${requests}/${id}/restore`);
    const restored = await privacyRequestOnceDone(
      url,
      account.adminKey,
      `${requests}/${id}`,
      (r) => r.status === 'restored',
    );
    const key = await keyAnswers(account, 200);
    const watchers = (await account.admin('GET', `/api/v2/tickets/${account.ticket}/watchers`)).body;

    // Assess: erased as a permanent erasure leaves it, but restorable.
    expect(before.links).toEqual(expect.arrayContaining([`agent#${agentId}`, `ticket#${account.ticket}`]));
    expect(before.links.filter((link) => link.startsWith('ticket_watch#'))).toHaveLength(1);
    expect(before.links).toHaveLength(5);
    expect(before.keys).toHaveLength(1);
    expect(preview.body).toMatchObject({
      mode: 'soft',
      counts: { remove: { agent: 1, ticket_watch: 1 }, anonymise: { conversation: 2, ticket: 1 } },
    });
    expect(done).toMatchObject({ mode: 'soft', trash: { state: 'held' } });
    expect(done.certificate).toMatchObject({
      mode: 'soft',
      counts: { erased: { agent: 1, ticket_watch: 1 }, anonymised: { conversation: 2, ticket: 1 } },
    });
    expect(erased.watchers).toEqual({ watcher_ids: [] });
    expect(watchers).toEqual({ watcher_ids: [agentId] });
    expect(erased.key).toBe(401);
    expect(erased.profile).toBe(404);
    expect(erased.listed).not.toContain(agentId);
    const byAgent = (erased.conversations as { user_id: number }[]).filter((c) => c.user_id === agentId);
    expect(byAgent).toHaveLength(2);
    for (const conversation of byAgent)
      expect(conversation).toMatchObject({ author_placeholder: `Deleted agent ${agentId}` });
    expect(byAgent.map((c) => (c as { from_email?: unknown }).from_email ?? null)).toEqual([null, null]);
    expect(erased.ticket).toMatchObject({ responder_id: null });
    expect(erased.links).toEqual([]);
    expect(restoring.status).toBe(202);
    expect(restored.status).toBe('restored');
    expect(await agentItems(account.id)).toEqual(before);
    expect(key).toBe(200);
    // An erasure and a restore, each a workflow run, and the auth caches' waits: over 30 s on a busy machine.
  }, 90_000);

  it('after a second soft erasure and its 60 days, leaves exactly what a permanent erasure leaves', async () => {
    // Prepare: erased, restored, erased again.
    const account = await agentWithContributions();
    const before = await agentItems(account.id);
    const first = await softErased(account);
    await account.admin('POST', `${requests}/${first.id}/restore`);
    await privacyRequestOnceDone(
      url,
      account.adminKey,
      `${requests}/${first.id}`,
      (r) => r.status === 'restored',
    );
    const second = await softErased(account);
    expect(await accountText(account.id)).toContain(account.marker);

    // Act: the deadline watch past the 60 days starts the trash's purge.
    const due = trashPurgeWatch(
      client,
      new Date(Date.parse(String(second.done.trash?.purge_due_at)) + 60_000),
    );
    await due.deadlines.startDuePurges();
    due.close();
    const purged = await privacyRequestOnceDone(
      url,
      account.adminKey,
      `${requests}/${second.id}`,
      (r) => (r.trash as { state: string }).state === 'purged',
    );

    // Assess: contributions anonymised as a permanent erasure anonymises them; profile, keys, trash gone.
    expect(purged).toMatchObject({ trash: { state: 'purged' } });
    for (const [link, item] of Object.entries(before.records)) {
      const [type, id] = link.split('#');
      const ref = { type: type as RecordType, id: Number(id) };
      if (ref.type === 'agent' || ref.type === 'ticket_watch') {
        // Wholly the agent's: deleted, not anonymised.
        expect(await recordItem(account.id, ref), link).toBeUndefined();
        continue;
      }
      const now = await openedRecord((await recordItem(account.id, ref)) as RecordItem);
      const was = await openedRecord(item as RecordItem);
      expect(now.fields, link).toEqual(anonymisedFields(was, agentId));
      expect(now.subjects, link).toEqual(
        was.subjects.filter((s) => !(s.kind === 'agent' && s.id === agentId)),
      );
    }
    const profile = { type: 'agent' as const, id: agentId };
    expect(await recordItem(account.id, profile)).toBeUndefined();
    expect(await itemOf({ pk: recordPk(account.id, profile), sk: ERASED_SK })).toBeDefined();
    expect(await itemOf(apiKeyRingKey(account.id, agentId))).toBeUndefined();
    for (const keyItem of before.keys)
      expect(await itemOf({ pk: keyItem?.pk, sk: keyItem?.sk })).toBeUndefined();
    expect(await trashEntries(account.id, second.id)).toEqual([]);
    expect(await linkedRecords(client, table, account.id, { kind: 'agent', id: agentId })).toEqual([]);
    expect(await accountText(account.id)).not.toContain(account.marker);
    expect(await keyAnswers(account, 401)).toBe(401);
  });
  it('keeps an edit made while erased: a restore brings back only what the anonymisation wrote', async () => {
    // Prepare
    const account = await agentWithContributions();
    const { id } = await softErased(account);
    const conversations = (await account.admin('GET', `/api/v2/tickets/${account.ticket}/conversations`))
      .body as { id: number; user_id: number; private: boolean }[];
    const note = conversations.find((c) => c.user_id === agentId && c.private);
    const edited = await account.admin('PUT', `/api/v2/conversations/${note?.id}`, {
      body: 'Edited meanwhile',
    });

    // Act
    await account.admin('POST', `${requests}/${id}/restore`);
    await privacyRequestOnceDone(url, account.adminKey, `${requests}/${id}`, (r) => r.status === 'restored');

    // Assess: the edit stays, the placeholder goes, the agent's link is back.
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const after = await openedRecord(
      (await recordItem(account.id, { type: 'conversation', id: note?.id ?? 0 })) as RecordItem,
    );
    expect(after.fields).toMatchObject({ body: 'Edited meanwhile', user_id: agentId });
    expect(after.fields).not.toHaveProperty('author_placeholder');
    expect(await linkedRecords(client, table, account.id, { kind: 'agent', id: agentId })).toContain(
      `conversation#${note?.id}`,
    );
    expect(await trashEntries(account.id, id)).toEqual([]);
  });

  it('is made permanent by a permanent erasure while its trash is held, contributions counted anonymised', async () => {
    // Prepare
    const account = await agentWithContributions();
    const soft = await softErased(account);

    // Act
    const created = await account.admin('POST', requests, {
      type: 'erasure',
      mode: 'permanent',
      subject: { type: 'agent', id: agentId },
      channel: 'email',
    });
    const preview = await account.admin('GET', `${requests}/${created.body.id}/preview`);
    await account.admin('POST', `${requests}/${created.body.id}/verify`, { method: 'email_confirmation' });
    const done = await privacyRequestOnceDone(
      url,
      account.adminKey,
      `${requests}/${created.body.id}`,
      completed,
    );
    const earlier = await account.admin('GET', `${requests}/${soft.id}`);

    // Assess
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const counts = { remove: { agent: 1 }, anonymise: { conversation: 2, ticket: 1 } };
    expect(preview.body).toMatchObject({ mode: 'permanent', counts });
    expect(done.certificate).toMatchObject({
      counts: { erased: { agent: 1 }, anonymised: { conversation: 2, ticket: 1 } },
    });
    expect(earlier.body).toMatchObject({ trash: { state: 'purged' } });
    expect(await trashEntries(account.id, soft.id)).toEqual([]);
    expect(await accountText(account.id)).not.toContain(account.marker);
  });
});
