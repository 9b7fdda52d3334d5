import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { localOperatorCredentials } from '../../local/local-credentials.ts';
import { parseAccountsArguments } from '../../scripts/accounts-arguments.ts';
import { resolveTarget } from '../../scripts/accounts-target.ts';

const cloudFormation = mockClient(CloudFormationClient);
afterEach(() => cloudFormation.reset());

describe('where npm run accounts sends its requests', () => {
  it("finds a deployed region's API URL in its Api stack outputs, in the region's AWS region", async () => {
    // Prepare
    cloudFormation.on(DescribeStacksCommand, { StackName: 'Helpdesk-in-Api' }).resolves({
      Stacks: [
        {
          StackName: 'Helpdesk-in-Api',
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [
            { OutputKey: 'ApiUrl', OutputValue: 'https://abc.execute-api.ap-south-1.amazonaws.com/' },
          ],
        },
      ],
    });

    // Act
    const target = await resolveTarget(parseAccountsArguments(['list', '--deployed', '--region', 'in']));

    // Assess
    expect(target.url).toBe('https://abc.execute-api.ap-south-1.amazonaws.com/');
    expect(target.signingRegion).toBe('ap-south-1');
    expect(typeof target.credentials).toBe('function');
    expect(await cloudFormation.call(0).thisValue.config.region()).toBe('ap-south-1');
  });

  it('says what is missing when the stack cannot be read', async () => {
    // Prepare
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('x'), { name: 'ValidationError' }));

    // Act
    const resolving = resolveTarget(parseAccountsArguments(['list', '--deployed', '--region', 'au']));

    // Assess
    await expect(resolving).rejects.toThrow(
      /Cannot read stack Helpdesk-au-Api in ap-southeast-2 \(ValidationError\)/,
    );
  });

  it('uses --endpoint as given, signing locally with the local operator unless --deployed', async () => {
    // Act
    const target = await resolveTarget(
      parseAccountsArguments(['list', '--region', 'us', '--endpoint', 'http://127.0.0.1:9']),
    );

    // Assess
    expect(target).toEqual({
      url: 'http://127.0.0.1:9',
      credentials: localOperatorCredentials,
      signingRegion: 'us-east-1',
    });
    expect(cloudFormation.calls()).toHaveLength(0);
  });
});
