import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccountRecovery, FeaturePlan, Mfa, UserPool, type UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { HostingRegionKey } from '#lib/residency/index';
import { acknowledgeNagRule } from './nag-acknowledgements.ts';

/**
 * How long the tokens of an app client the vendor makes for a customer live (docs/sso.md gives the
 * command): short-lived ID and access tokens, a working day of refresh.
 */
export const ssoAppClientTokenValidity = {
  idToken: Duration.hours(1),
  accessToken: Duration.hours(1),
  refreshToken: Duration.hours(12),
} as const;

export interface SsoUserPoolProps {
  readonly region: HostingRegionKey;
}

/**
 * The hosting region's Cognito user pool that federates customers' SAML identity providers, in the
 * region itself (an agent's identity stays in their account's home region). Nobody signs up and nobody
 * holds a password here: the vendor adds a customer's SAML provider and an app client for it (docs/sso.md),
 * the account configures the pool's issuer URL and that client id, and the API verifies the pool's
 * tokens on the same OpenID Connect path as any issuer's.
 */
export class SsoUserPool extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  /** The pool's issuer URL: what an account sets as its SSO issuer. */
  readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: SsoUserPoolProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.userPool = new UserPool(this, 'Pool', {
      userPoolName: `helpdesk-${props.region}-sso`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      // Federated users recover their access at their own identity provider; the pool sends no e-mail.
      accountRecovery: AccountRecovery.NONE,
      // No local user should exist; if the vendor ever made one, it would need a strong password and MFA.
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(1),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The hosted sign-in pages SAML federation redirects through (the prefix is unique per AWS account).
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: `helpdesk-${props.region}-${stack.account}` },
    });
    this.issuerUrl = `https://cognito-idp.${stack.region}.amazonaws.com/${this.userPool.userPoolId}`;
    new CfnOutput(this, 'SsoIssuer', {
      value: this.issuerUrl,
      description: `Issuer URL of the ${props.region} SSO user pool (an account's SSO issuer for SAML)`,
    });
    const noLocalSignIns =
      "Threat protection (Plus plan) scores Cognito's own password sign-ins; this pool has none: self sign-up is off, no user is created with a password, and every agent signs in at their company's SAML identity provider, whose own risk checks and MFA apply.";
    acknowledgeNagRule(this.userPool, 'AwsSolutions-COG3', noLocalSignIns);
    acknowledgeNagRule(this.userPool, 'AwsSolutions-COG8', noLocalSignIns);
  }
}
