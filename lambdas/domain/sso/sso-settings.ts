import { z } from 'zod';
import { type Role, roles } from '#domain/account';

/** An account's single sign-on: which OpenID Connect issuer and clients vouch for its agents, and how. */
export interface SsoSettings {
  readonly accountId: string;
  /** The issuer URL exactly as its tokens state it in `iss` (https; loopback http only locally). */
  readonly issuer: string;
  /** The client ids (audiences) whose tokens the account accepts: 1 to 10. */
  readonly clientIds: readonly string[];
  /** The claim that names the agent's e-mail address (default `email`). */
  readonly emailClaim: string;
  /** The claim that lists the user's groups at the identity provider, if roles follow them. */
  readonly groupsClaim?: string;
  /** Role of each identity-provider group (first match in the order of the most powerful role). */
  readonly groupRoles: Readonly<Record<string, Role>>;
  /** Agents must sign in through the identity provider: their personal API keys stop working. */
  readonly ssoRequired: boolean;
  /** Just-in-time creation of an unknown agent on their first sign-in, with `jitRole` unless a group says otherwise. */
  readonly jit: boolean;
  readonly jitRole: Role;
  readonly updatedAt: string;
}

export const maxClientIds = 10;

const claimName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_:./-]{1,100}$/, 'It should be a claim name: letters, digits and _ : . / - only');

/** PUT /api/v2/admin/sso: the settings as an administrator sends them (snake_case, as the API speaks). */
export const ssoSettingsSchema = z
  .object({
    issuer: z.string().trim().min(1).max(500),
    client_ids: z
      .array(
        z
          .string()
          .trim()
          .regex(/^[\x21-\x7e]{1,255}$/, 'It should be a client id of printable characters'),
      )
      .min(1)
      .max(maxClientIds),
    email_claim: claimName.default('email'),
    groups_claim: claimName.optional(),
    group_roles: z
      .record(z.string().trim().min(1).max(255), z.enum(roles))
      .refine((map) => Object.keys(map).length <= 100, 'At most 100 groups')
      .default({}),
    sso_required: z.boolean().default(false),
    jit: z.boolean().default(false),
    jit_role: z.enum(roles).default('agent'),
  })
  .strict()
  .refine((body) => Object.keys(body.group_roles).length === 0 || body.groups_claim, {
    message: 'group_roles needs groups_claim: the claim that lists the groups',
    path: ['groups_claim'],
  });

export type SsoSettingsInput = z.infer<typeof ssoSettingsSchema>;

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Why `issuer` may not be an account's issuer, or undefined when it may: an absolute https URL without
 * credentials, query or fragment. Plain http only for a loopback host, and only where
 * `allowLoopbackHttp` says the platform runs on this machine (never on AWS): anything else fails closed.
 */
export function issuerProblem(issuer: string, allowLoopbackHttp: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return 'It should be an absolute https URL';
  }
  if (
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    issuer.includes('?') ||
    issuer.includes('#')
  ) {
    return 'It should have no credentials, query or fragment';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && allowLoopbackHttp && loopbackHosts.has(url.hostname)) return undefined;
  return 'It should be an https URL';
}

/** The settings as GET /api/v2/admin/sso shows them. */
export const ssoSettingsViewSchema = z.strictObject({
  issuer: z.string(),
  client_ids: z.array(z.string()),
  email_claim: z.string(),
  groups_claim: z.string().nullable(),
  group_roles: z.record(z.string(), z.enum(roles)),
  sso_required: z.boolean(),
  jit: z.boolean(),
  jit_role: z.enum(roles),
  updated_at: z.string(),
});
export function ssoSettingsView(settings: SsoSettings): z.infer<typeof ssoSettingsViewSchema> {
  return {
    issuer: settings.issuer,
    client_ids: [...settings.clientIds],
    email_claim: settings.emailClaim,
    groups_claim: settings.groupsClaim ?? null,
    group_roles: { ...settings.groupRoles },
    sso_required: settings.ssoRequired,
    jit: settings.jit,
    jit_role: settings.jitRole,
    updated_at: settings.updatedAt,
  };
}
