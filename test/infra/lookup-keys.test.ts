import { beforeAll, describe, expect, it } from 'vitest';
import { type HostingRegionKey, hostingRegionKeys, hostingRegions } from '#lib/residency/index';
import {
  resourcesOfType,
  stacksOf,
  statementsOf,
  type SynthesizedStack,
  synthesizePlatform,
} from './platform.ts';

/**
 * Accounts' lookup keys (docs/encryption.md, "Keyed lookups"): every workflow task that reaches the
 * records table may make and unwrap them with the region's data key directly, only with the lookup-key
 * purpose in the encryption context; no other task may use the data key outside a service.
 */
let workflowStacks: Record<HostingRegionKey, SynthesizedStack>;

beforeAll(() => {
  workflowStacks = stacksOf(synthesizePlatform(), 'workflows');
}, 300_000);

describe.each(hostingRegionKeys)('lookup keys in %s', (region) => {
  const { awsRegion } = hostingRegions[region];

  it('are made and unwrapped by every task reaching the records table, for that purpose only', () => {
    // Prepare
    const stack = workflowStacks[region];
    const roles = resourcesOfType(stack, 'AWS::IAM::Role').map(([id]) => id);

    // Act
    const uses = roles.map((role) => {
      const keyUses = statementsOf(stack, role).filter((s) => s.actions.some((a) => a.startsWith('kms:')));
      const throughTable = keyUses.some((s) =>
        JSON.stringify(s.condition).includes(`dynamodb.${awsRegion}.amazonaws.com`),
      );
      const direct = keyUses.filter((s) => !JSON.stringify(s.condition ?? {}).includes('kms:ViaService'));
      return { role, throughTable, direct };
    });

    // Assess: at least the tasks of the migration, erasure, export, purge, retention and ticket jobs.
    expect(uses.filter((use) => use.throughTable).length).toBeGreaterThanOrEqual(6);
    for (const { role, throughTable, direct } of uses) {
      // The recording transfer names the home key by alias (ResourceAliases), through services only.
      const directUses = direct.filter(
        (s) => !JSON.stringify(s.condition ?? {}).includes('kms:ResourceAliases'),
      );
      // Each table-reaching task makes and unwraps lookup keys and subject keys, each for its purpose only.
      expect(directUses.length, role).toBe(throughTable ? 2 : 0);
      if (!throughTable) continue;
      expect(directUses, role).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
            condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'lookup-key' } },
          }),
          expect.objectContaining({
            actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
            condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'subject-key' } },
          }),
        ]),
      );
      // And reads and creates subject keys in its own region's key table, nothing more.
      const keyTable = statementsOf(stack, role).filter((s) =>
        s.resources.some((r) => r.includes(`table/helpdesk-${region}-subject-keys`)),
      );
      expect(
        keyTable.flatMap((s) => s.actions).filter((a) => a !== 'dynamodb:UpdateItem'),
        role,
      ).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    }
  });

  it("lets the recording transfer's call tasks use the home region's subject keys by alias, for that purpose only", () => {
    const stack = workflowStacks[region];
    const transferRoles = resourcesOfType(stack, 'AWS::IAM::Role')
      .map(([id]) => id)
      .filter((id) =>
        /^RecordingTransfer(CheckCall|DiscardRecording|RecordLocation|RecordStagingDeleted)Task/.test(id),
      );
    if (transferRoles.length === 0) return; // Only where recordings are staged for another region.

    for (const role of transferRoles) {
      const wrapping = statementsOf(stack, role).filter((s) =>
        JSON.stringify(s.condition ?? {}).includes('subject-key'),
      );
      const seals = /RecordLocation|RecordStagingDeleted/.test(role);
      expect(wrapping, role).toEqual([
        expect.objectContaining({
          actions: seals ? ['kms:GenerateDataKey', 'kms:Decrypt'] : ['kms:Decrypt'],
          condition: {
            'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/helpdesk-eea-data' },
            StringEquals: { 'kms:EncryptionContext:purpose': 'subject-key' },
          },
        }),
      ]);
    }
  });
});
