import { describe, expect, it } from 'vitest';
import { migrationExecutionName } from '../../lambdas/domain/migrations/migration.ts';
import {
  type ErasureTrash,
  privacyExecutionName,
  retryExecutionName,
  trashExecutionName,
} from '../../lambdas/domain/privacy/privacy-request.ts';
import { executionName, InvalidExecutionNameError } from '../../lambdas/domain/privacy/workflow-starter.ts';

const accountA = '0f8fad5b-d9cb-469f-a165-70867728950e';
const accountB = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const largestId = Number.MAX_SAFE_INTEGER;
const trash = { failed_attempts: 98 } as ErasureTrash;

/** Every name a workflow is started under for business id `id` of an account. */
const namesOf = (accountId: string, id: number) => [
  privacyExecutionName(accountId, id),
  retryExecutionName(accountId, id, 99),
  trashExecutionName(accountId, id, 'restore', trash),
  trashExecutionName(accountId, id, 'purge', trash),
  migrationExecutionName(accountId, id, 99),
];

describe('execution names', () => {
  it('name the account, so equal ids of two accounts never share a name', () => {
    // Act
    const [a, b] = [namesOf(accountA, 7), namesOf(accountB, 7)];

    // Assess
    expect(a).toEqual([
      `privacy-${accountA}-7`,
      `privacy-${accountA}-7-retry-99`,
      `privacy-${accountA}-7-restore-99`,
      `privacy-${accountA}-7-purge-99`,
      `migration-${accountA}-7-99`,
    ]);
    for (const name of a) expect(b).not.toContain(name);
  });

  it('fit Step Functions names (80 letters, digits, - and _) for the largest ids', () => {
    // Act
    const names = namesOf(accountA, largestId);

    // Assess
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  });

  it('refuse a name Step Functions would refuse, rather than start something else', () => {
    // Act
    const tooLong = () => executionName('privacy', 'x'.repeat(80), 1);
    const badCharacter = () => executionName('privacy', 'a/b', 1);

    // Assess
    expect(tooLong).toThrow(InvalidExecutionNameError);
    expect(badCharacter).toThrow(InvalidExecutionNameError);
  });
});
