import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '#domain/account';
import type { AuditEntry } from '#domain/records/record';
import type { SsoSettings } from '#domain/sso/sso-settings';
import type { SsoSettingsStore } from '#domain/sso/sso-settings-store';
import { ssoClientKey, ssoSettingsKey } from './keys.ts';
import { RecordIndexItems, type TransactItem, transactRecords } from './record-items.ts';

interface SsoSettingsItem {
  account_id: string;
  issuer: string;
  client_ids: string[];
  email_claim: string;
  groups_claim?: string;
  group_roles: Record<string, Role>;
  sso_required: boolean;
  jit: boolean;
  jit_role: Role;
  updated_at: string;
}

const clientHash = (issuer: string, clientId: string) =>
  createHash('sha256').update(`${issuer}\n${clientId}`, 'utf8').digest('base64url');

const conflictMessage =
  'Another account of this region registered this issuer and client id, or the settings changed meanwhile.';

/** SSO settings in the home region's table, and one claim item per issuer + client id pair. */
export class DynamoSsoSettingsStore implements SsoSettingsStore {
  private readonly index: RecordIndexItems;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.index = new RecordIndexItems(tableName);
  }

  async get(accountId: string): Promise<SsoSettings | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: ssoSettingsKey(accountId), ConsistentRead: true }),
    );
    return Item ? settingsOf(Item as SsoSettingsItem) : undefined;
  }

  async findByClient(issuer: string, clientId: string): Promise<SsoSettings | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: ssoClientKey(clientHash(issuer, clientId)) }),
    );
    if (typeof Item?.account_id !== 'string') return undefined;
    const settings = await this.get(Item.account_id);
    // A claim outliving its settings (or naming a pair they no longer list) names nobody.
    return settings?.issuer === issuer && settings.clientIds.includes(clientId) ? settings : undefined;
  }

  async put(settings: SsoSettings, previous: SsoSettings | undefined, audit: AuditEntry): Promise<void> {
    const { accountId } = settings;
    const kept = new Set(settings.clientIds.map((id) => clientHash(settings.issuer, id)));
    const released = (previous?.clientIds ?? [])
      .map((id) => clientHash(previous?.issuer ?? '', id))
      .filter((hash) => !kept.has(hash));
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...ssoSettingsKey(accountId), type: 'sso_settings', ...itemOf(settings) },
          ...this.unchangedSince(previous),
        },
      },
      ...[...kept].map((hash): TransactItem => ({
        Put: {
          TableName: this.tableName,
          Item: { ...ssoClientKey(hash), type: 'sso_client', account_id: accountId },
          ConditionExpression: 'attribute_not_exists(pk) OR account_id = :account',
          ExpressionAttributeValues: { ':account': accountId },
        },
      })),
      ...released.map((hash) => this.releaseClaim(hash, accountId)),
      this.index.putAudit({ accountId, ref: audit.record, version: 1 }, audit),
    ];
    await transactRecords(this.client, items, conflictMessage);
  }

  async remove(previous: SsoSettings, audit: AuditEntry): Promise<void> {
    const { accountId } = previous;
    await transactRecords(
      this.client,
      [
        {
          Delete: {
            TableName: this.tableName,
            Key: ssoSettingsKey(accountId),
            ...this.unchangedSince(previous),
          },
        },
        ...previous.clientIds.map((id) => this.releaseClaim(clientHash(previous.issuer, id), accountId)),
        this.index.putAudit({ accountId, ref: audit.record, version: 1 }, audit),
      ],
      conflictMessage,
    );
  }

  private unchangedSince(previous: SsoSettings | undefined) {
    return previous
      ? {
          ConditionExpression: 'updated_at = :previous',
          ExpressionAttributeValues: { ':previous': previous.updatedAt },
        }
      : { ConditionExpression: 'attribute_not_exists(pk)' };
  }

  private releaseClaim(hash: string, accountId: string): TransactItem {
    return {
      Delete: {
        TableName: this.tableName,
        Key: ssoClientKey(hash),
        ConditionExpression: 'attribute_not_exists(pk) OR account_id = :account',
        ExpressionAttributeValues: { ':account': accountId },
      },
    };
  }
}

function itemOf(settings: SsoSettings): SsoSettingsItem {
  return {
    account_id: settings.accountId,
    issuer: settings.issuer,
    client_ids: [...settings.clientIds],
    email_claim: settings.emailClaim,
    ...(settings.groupsClaim ? { groups_claim: settings.groupsClaim } : {}),
    group_roles: { ...settings.groupRoles },
    sso_required: settings.ssoRequired,
    jit: settings.jit,
    jit_role: settings.jitRole,
    updated_at: settings.updatedAt,
  };
}

function settingsOf(item: SsoSettingsItem): SsoSettings {
  return {
    accountId: item.account_id,
    issuer: item.issuer,
    clientIds: item.client_ids,
    emailClaim: item.email_claim,
    ...(item.groups_claim ? { groupsClaim: item.groups_claim } : {}),
    groupRoles: item.group_roles ?? {},
    ssoRequired: item.sso_required === true,
    jit: item.jit === true,
    jitRole: item.jit_role,
    updatedAt: item.updated_at,
  };
}
