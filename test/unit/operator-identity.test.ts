import { describe, expect, it } from 'vitest';
import { operatorActor } from '../../lambdas/domain/operators/operator-identity.ts';

const account = '123456789012';
const accessKey = 'ASIAEXAMPLEKEY000001';

describe('the operator id from the IAM identity API Gateway passes on', () => {
  it("keeps an assumed role's ARN and the access key id, and drops the session name", () => {
    // Act
    const actor = operatorActor({
      userArn: `arn:aws:sts::${account}:assumed-role/HelpdeskOperator/jane.doe@example.com`,
      userId: 'AROAEXAMPLEROLE00001:jane.doe@example.com',
      accessKey,
      accountId: account,
    });

    // Assess
    expect(actor).toEqual({
      type: 'operator',
      id: `arn:aws:iam::${account}:role/HelpdeskOperator#${accessKey}`,
    });
    expect(actor.id).not.toContain('jane');
  });

  it("keeps an IAM user's unique id, never the user name", () => {
    // Act
    const actor = operatorActor({
      userArn: `arn:aws:iam::${account}:user/jane.doe`,
      userId: 'AIDAEXAMPLEUSER00001',
      accessKey: 'AKIAEXAMPLEKEY000001',
      accountId: account,
    });

    // Assess
    expect(actor.id).toBe(`iam-user:${account}:AIDAEXAMPLEUSER00001#AKIAEXAMPLEKEY000001`);
    expect(actor.id).not.toContain('jane');
  });

  it('keeps the account root as its ARN', () => {
    expect(
      operatorActor({
        userArn: `arn:aws:iam::${account}:root`,
        userId: account,
        accessKey,
        accountId: account,
      }).id,
    ).toBe(`arn:aws:iam::${account}:root#${accessKey}`);
  });

  it.each([
    ['no identity at all', undefined],
    ['no access key', { userArn: `arn:aws:iam::${account}:root`, accountId: account }],
    [
      'a federated user (their id embeds a chosen name)',
      {
        userArn: `arn:aws:sts::${account}:federated-user/jane`,
        userId: `${account}:jane`,
        accessKey,
        accountId: account,
      },
    ],
    [
      'an ARN of another account than the signer',
      { userArn: 'arn:aws:sts::999999999999:assumed-role/R/s', accessKey, accountId: account },
    ],
    [
      'an IAM user without its unique id',
      { userArn: `arn:aws:iam::${account}:user/jane`, userId: 'jane', accessKey, accountId: account },
    ],
  ])('refuses %s (403, fail closed)', (_case, caller) => {
    expect(() => operatorActor(caller)).toThrow(
      expect.objectContaining({ name: 'OperatorIdentityError', code: 'access_denied' }),
    );
  });
});
