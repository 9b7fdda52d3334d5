import type { Principal } from '#domain/account';
import { requireAccountAdmin } from '#domain/agents/agent-rank';
import { requirePermission } from '#domain/roles/permission-check';
import { NotFoundError, ValidationError } from '#domain/errors';
import { actorOf } from '#domain/records/record-lifecycle';
import { type AuditOperation, changedFieldNames, type RecordRef } from '#domain/records/record';
import type { SsoSettingsStore } from './sso-settings-store.ts';
import { issuerProblem, type SsoSettings, type SsoSettingsInput } from './sso-settings.ts';

/** What audit entries of the settings name: one per account (the audit log's `record_type` `sso_settings`). */
export const ssoSettingsRef: RecordRef = { type: 'sso_settings', id: 1 };

export interface SsoSettingsServiceDependencies {
  readonly settings: SsoSettingsStore;
  readonly now: () => Date;
  /** The platform runs on this machine: loopback issuers may use plain http (never set on AWS). */
  readonly allowLoopbackHttpIssuers: boolean;
}

/** GET/PUT/DELETE /api/v2/admin/sso: account admins configure the account's single sign-on; `admin.sso` views it. */
export class SsoSettingsService {
  constructor(private readonly deps: SsoSettingsServiceDependencies) {}

  async get(principal: Principal): Promise<SsoSettings> {
    requirePermission(principal, 'admin.sso', 'view single sign-on settings');
    const settings = await this.deps.settings.get(principal.accountId);
    if (!settings) throw new NotFoundError('The account has no single sign-on settings.');
    return settings;
  }

  async put(principal: Principal, input: SsoSettingsInput): Promise<SsoSettings> {
    // The identity provider decides who signs in as whom, account admins included: theirs alone.
    requireAccountAdmin(principal, 'change single sign-on settings');
    const problem = issuerProblem(input.issuer, this.deps.allowLoopbackHttpIssuers);
    if (problem) throw new ValidationError([{ field: 'issuer', message: problem, code: 'invalid_value' }]);
    const previous = await this.deps.settings.get(principal.accountId);
    const settings: SsoSettings = {
      accountId: principal.accountId,
      issuer: input.issuer,
      clientIds: [...new Set(input.client_ids)],
      emailClaim: input.email_claim,
      ...(input.groups_claim ? { groupsClaim: input.groups_claim } : {}),
      groupRoles: input.group_roles,
      ssoRequired: input.sso_required,
      jit: input.jit,
      jitRole: input.jit_role,
      updatedAt: this.deps.now().toISOString(),
    };
    const { updatedAt: _before, ...before } = previous ?? {};
    const { updatedAt: _after, ...after } = settings;
    await this.deps.settings.put(
      settings,
      previous,
      this.audit(principal, previous ? 'update' : 'create', changedFieldNames(before, after)),
    );
    return settings;
  }

  async remove(principal: Principal): Promise<void> {
    requireAccountAdmin(principal, 'remove single sign-on settings');
    const previous = await this.deps.settings.get(principal.accountId);
    if (!previous) throw new NotFoundError('The account has no single sign-on settings.');
    await this.deps.settings.remove(previous, this.audit(principal, 'delete', []));
  }

  /** Field names only: never the issuer, client ids or groups. */
  private audit(principal: Principal, operation: AuditOperation, changedFields: readonly string[]) {
    return {
      at: this.deps.now().toISOString(),
      actor: actorOf(principal),
      operation,
      record: ssoSettingsRef,
      changedFields,
    };
  }
}
