import { beforeAll, describe, expect, it } from 'vitest';
import { ssoAppClientTokenValidity } from '#lib/constructs/sso-user-pool';
import { stackNames } from '#lib/platform/names';
import { hostingRegionKeys, hostingRegions } from '#lib/residency/index';
import { resourcesOfType, type SynthesizedPlatform, synthesizePlatform } from './platform.ts';

let platform: SynthesizedPlatform;

beforeAll(() => {
  platform = synthesizePlatform();
});

/** Every `Fn::ImportValue` in a JSON tree (a cross-stack reference). */
function importsIn(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(importsIn);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) =>
      key === 'Fn::ImportValue' ? [inner] : importsIn(inner),
    );
  }
  return [];
}

describe.each(hostingRegionKeys)('the SSO user pool of %s', (region) => {
  const data = () => platform.regions[region].data;
  const pool = () => {
    const pools = resourcesOfType(data(), 'AWS::Cognito::UserPool');
    expect(pools).toHaveLength(1);
    return pools[0]?.[1] ?? { Type: '' };
  };

  it('is one pool, in the region stack deployed to the region itself, and none in the API stack', () => {
    // Act
    const stack = platform.assembly.getStackByName(stackNames(region).data);

    // Assess
    expect(pool().Properties?.UserPoolName).toBe(`helpdesk-${region}-sso`);
    expect(stack.environment.region).toBe(hostingRegions[region].awsRegion);
    expect(resourcesOfType(platform.regions[region].api, 'AWS::Cognito::UserPool')).toHaveLength(0);
  });

  it('references nothing of another stack or region', () => {
    // Act
    const cognito = Object.values(data().json.Resources).filter((resource) =>
      resource.Type.startsWith('AWS::Cognito::'),
    );

    // Assess
    expect(cognito.length).toBeGreaterThanOrEqual(2);
    expect(importsIn(cognito)).toEqual([]);
    const otherRegions = hostingRegionKeys
      .filter((other) => other !== region)
      .map((other) => hostingRegions[other].awsRegion);
    const text = JSON.stringify(cognito);
    for (const other of otherRegions) expect(text).not.toContain(other);
  });

  it('lets nobody sign up, keeps its users, and asks MFA of any local user', () => {
    // Act
    const props = pool().Properties ?? {};

    // Assess
    expect(props.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
    expect(props.MfaConfiguration).toBe('ON');
    expect(props.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(props.DeletionProtection).toBe('ACTIVE');
    expect(pool().DeletionPolicy).toBe('Retain');
    expect(props.Policies).toMatchObject({
      PasswordPolicy: { MinimumLength: 14, TemporaryPasswordValidityDays: 1 },
    });
    expect(props.AccountRecoverySetting).toEqual({
      RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }],
    });
  });

  it('has the hosted domain SAML federation redirects through', () => {
    // Act
    const domains = resourcesOfType(data(), 'AWS::Cognito::UserPoolDomain');

    // Assess
    expect(domains).toHaveLength(1);
    expect(JSON.stringify(domains[0]?.[1].Properties?.Domain)).toContain(`helpdesk-${region}-`);
  });
});

describe('app clients the vendor makes for a customer (docs/sso.md)', () => {
  it('issue one-hour ID and access tokens and twelve-hour refresh tokens', () => {
    // Assess
    expect(ssoAppClientTokenValidity.idToken.toHours()).toBe(1);
    expect(ssoAppClientTokenValidity.accessToken.toHours()).toBe(1);
    expect(ssoAppClientTokenValidity.refreshToken.toHours()).toBe(12);
  });
});
