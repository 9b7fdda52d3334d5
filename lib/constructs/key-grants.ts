import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { acknowledgeNagRule, nagFindingFor } from './nag-acknowledgements.ts';

export interface AliasedKeyUse {
  /** The AWS region of the key, e.g. eu-central-1. */
  readonly awsRegion: string;
  /** The key's alias, e.g. alias/helpdesk-eea-data (see `keyAlias`). */
  readonly alias: string;
  readonly actions: readonly string[];
  /** The AWS services the key may be used through, e.g. `s3`; the role cannot use the key directly. */
  readonly viaServices: readonly string[];
  /** Why the role needs it, for the cdk-nag acknowledgement of the `key/*` resource. */
  readonly reason: string;
}

/**
 * Lets `role` use another stack's (or region's) KMS key named by its alias, without importing its ARN:
 * the resource is every key of that account and region, narrowed by `kms:ResourceAliases` to the one
 * key carrying the alias, and by `kms:ViaService` to the services named.
 */
export function grantKeyUseByAlias(role: Role, use: AliasedKeyUse): void {
  const stack = Stack.of(role);
  const keys = stack.formatArn({ service: 'kms', region: use.awsRegion, resource: 'key', resourceName: '*' });
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [...use.actions],
      resources: [keys],
      conditions: {
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': use.alias },
        StringEquals: {
          'kms:ViaService': use.viaServices.map((service) => `${service}.${use.awsRegion}.amazonaws.com`),
        },
      },
    }),
  );
  acknowledgeNagRule(role, `AwsSolutions-IAM5[Resource::${nagFindingFor(role, keys)}]`, use.reason);
}

/** The ARN of a KMS alias, as S3 accepts it for SSE-KMS (`SSEKMSKeyId`). */
export function keyAliasArn(stack: Stack, awsRegion: string, alias: string): string {
  return stack.formatArn({ service: 'kms', region: awsRegion, resource: alias });
}
