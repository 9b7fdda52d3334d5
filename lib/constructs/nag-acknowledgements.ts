import { Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag finding on `scope` (and everything below it). cdk-nag 3 reads CDK's
 * `Validations` acknowledgements; a finding without a written reason is not acknowledged.
 */
export function acknowledgeNagRule(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length === 0)
    throw new Error(`cdk-nag acknowledgement ${id} at ${scope.node.path} needs a reason`);
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * The text cdk-nag's granular IAM rules (IAM4 `Policy::…`, IAM5 `Resource::…`) report for an ARN built in
 * this stack: tokens are resolved and flattened exactly as cdk-nag does, so `Aws.ACCOUNT_ID` becomes
 * `<AWS::AccountId>`. Only use it for ARNs that do not reference another stack (imports resolve later).
 */
export function nagFindingFor(scope: IConstruct, arn: string): string {
  return flattenCfnReference(Stack.of(scope).resolve(arn));
}
