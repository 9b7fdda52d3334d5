import { App, Stack, Validations } from 'aws-cdk-lib';
import { ManagedPolicy, Policy } from 'aws-cdk-lib/aws-iam';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#lib/app';
import { stackNames } from '#lib/platform/names';
import { type HostingRegionKey, hostingRegionKeys, hostingRegions } from '#lib/residency/index';

/** Rule families we accept acknowledging; a new one must be added here on purpose. */
const acknowledgeableRules = new Set(['S1', 'IAM4', 'IAM5', 'L1', 'APIG4', 'COG3', 'COG4', 'COG8']);

let app: App;
let assembly: CloudAssembly | undefined;
let synthError: unknown;

beforeAll(() => {
  // Prepare
  app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  buildApp(app);
  // Act: cdk-nag runs as a validation plugin during synthesis and throws on unacknowledged findings.
  try {
    assembly = app.synth();
  } catch (error) {
    synthError = error;
  }
});

function template(stackName: string): Record<string, unknown> {
  if (!assembly) throw new Error('synthesis failed');
  return assembly.getStackByName(stackName).template as Record<string, unknown>;
}

/** Policy statements that exist only for the EEA log copies (source side in US/India, receiving side in the EEA). */
const logCopySids = new Set([
  'WriteCopiesIntoTheEeaLogCopies',
  'EncryptCopiesWithTheEeaDataKey',
  'OnlyTheLogCopyReplicationRoles',
]);

/** What each region's data stack may name of other regions: the EEA copy bucket and key, or the US/India roles. */
const eeaCopySide = [hostingRegions.eea.awsRegion, 'helpdesk-eea-eea-log-copies-', 'alias/helpdesk-eea-data'];
const replicationNames: Record<HostingRegionKey, string[]> = {
  us: eeaCopySide,
  in: eeaCopySide,
  eea: ['helpdesk-us-log-copies-to-eea', 'helpdesk-in-log-copies-to-eea'],
  au: [],
};

interface ResourceJson {
  Properties?: {
    ReplicationConfiguration?: { Rules: { Destination?: unknown }[] };
    PolicyDocument?: { Statement: { Sid?: string }[] };
  };
  Metadata?: { cdk_nag?: { rules_to_suppress: { id: string }[] } };
}

/**
 * Separates the EEA log-copy replication (replication rule destinations, the statements of `logCopySids`
 * and the cdk-nag acknowledgements of their resources) from the rest of a template, and reports which
 * foreign names and regions the separated part mentions.
 */
function splitLogCopyReplication(json: Record<string, unknown>) {
  const rest = structuredClone(json) as { Resources: Record<string, ResourceJson> };
  const separated: unknown[] = [];
  for (const resource of Object.values(rest.Resources)) {
    for (const rule of resource.Properties?.ReplicationConfiguration?.Rules ?? []) {
      separated.push(rule.Destination);
      delete rule.Destination;
    }
    const document = resource.Properties?.PolicyDocument;
    if (document?.Statement) {
      separated.push(...document.Statement.filter((s) => logCopySids.has(s.Sid ?? '')));
      document.Statement = document.Statement.filter((s) => !logCopySids.has(s.Sid ?? ''));
    }
  }
  const separatedText = JSON.stringify(separated);
  for (const resource of Object.values(rest.Resources)) {
    const nag = resource.Metadata?.cdk_nag;
    if (!nag) continue;
    // An acknowledgement of a separated resource names it too (cdk-nag writes the resource into the id).
    nag.rules_to_suppress = nag.rules_to_suppress.filter(
      (rule) =>
        !rule.id.includes('eea-log-copies') && !rule.id.includes(`:kms:${hostingRegions.eea.awsRegion}:`),
    );
  }
  const candidates = [
    ...hostingRegionKeys.map((key) => hostingRegions[key].awsRegion),
    'helpdesk-eea-eea-log-copies-',
    'alias/helpdesk-eea-data',
    ...hostingRegionKeys.map((key) => `helpdesk-${key}-log-copies-to-eea`),
  ];
  return { rest, replication: { mentions: candidates.filter((name) => separatedText.includes(name)) } };
}

/**
 * The recording-transfer links: the US workflow reaches the EEA's recordings bucket, table and key, the
 * EEA calls API the US staging bucket and key, and the EEA erasure the US staging bucket (to delete an
 * erased subject's staged recordings). They may only live in IAM policies, function settings and the
 * cdk-nag notes on those, and may name only the partner region.
 */
const transferLinks: Readonly<Record<string, HostingRegionKey>> = {
  [stackNames('us').workflows]: 'eea',
  [stackNames('eea').api]: 'us',
  [stackNames('eea').workflows]: 'us',
};
const linkResourceTypes = new Set(['AWS::IAM::Policy', 'AWS::Lambda::Function']);

function withoutTransferLinks(json: Record<string, unknown>) {
  const resources = Object.values(
    (json as { Resources: Record<string, ResourceJson & { Type: string }> }).Resources,
  );
  const links = [
    ...resources.filter((r) => linkResourceTypes.has(r.Type)),
    ...resources.map((r) => r.Metadata),
  ];
  const rest = {
    ...json,
    Resources: resources
      .filter((r) => !linkResourceTypes.has(r.Type))
      .map(({ Metadata: _notes, ...resource }) => resource),
  };
  return { rest, linksText: JSON.stringify(links) };
}

/** The stacks a region has (every region a data and an API stack; some a workflows stack). */
function stacksOf(region: HostingRegionKey): string[] {
  return Object.values(stackNames(region)).filter((name) =>
    assembly?.stacks.some((stack) => stack.stackName === name),
  );
}

/** Every `Validations.of(x).acknowledge()` in the construct tree: [construct path, rule id, reason]. */
function acknowledgements(root: IConstruct): [string, string, unknown][] {
  return root.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) =>
          Object.entries(entry.data as Record<string, unknown>).map(
            ([id, reason]): [string, string, unknown] => [
              construct.node.path,
              id.replace(/^annotation::/i, ''),
              reason,
            ],
          ),
        ),
    );
}

describe('residency of every region', () => {
  describe.each(hostingRegionKeys)('%s', (region) => {
    const own = hostingRegions[region].awsRegion;
    const otherKeys = hostingRegionKeys.filter((other) => other !== region);
    const others = otherKeys.map((other) => hostingRegions[other].awsRegion);

    it('deploys every stack to the catalogue region', () => {
      expect(stacksOf(region).length).toBeGreaterThanOrEqual(2);
      for (const name of stacksOf(region)) {
        expect(assembly?.getStackByName(name).environment.region, name).toBe(own);
      }
    });

    it("never names another region's AWS region or resources, but for log copies and recording transfer", () => {
      for (const name of stacksOf(region)) {
        // Prepare: set aside the recording-transfer links where the residency rule makes them...
        const partner = transferLinks[name];
        const transfer = partner ? withoutTransferLinks(template(name)) : undefined;
        if (partner && transfer) {
          // ...which name the partner region and nothing of any third region.
          expect(transfer.linksText, name).toContain(hostingRegions[partner].awsRegion);
          expect(transfer.linksText, name).toContain(`helpdesk-${partner}-`);
          for (const third of otherKeys.filter((key) => key !== partner)) {
            expect(transfer.linksText, name).not.toContain(hostingRegions[third].awsRegion);
          }
        }
        const { rest, replication } = splitLogCopyReplication(transfer?.rest ?? template(name));
        const text = JSON.stringify(rest);

        // Assess: the check can see region strings and names at all...
        expect(text, name).toContain(own);
        expect(text, name).toContain(`helpdesk-${region}-`);
        // ...and none of the others appears outside the log-copy replication...
        for (const other of others) expect(text, `${name} mentions ${other}`).not.toContain(other);
        for (const other of otherKeys)
          expect(text, `${name} names ${other}`).not.toContain(`helpdesk-${other}-`);
        // ...which exists only where the catalogue copies logs, and names nothing but the EEA copy side.
        const expected = name === stackNames(region).data ? replicationNames[region] : [];
        expect(replication.mentions, name).toEqual(expected);
      }
    });
  });
});

describe('cdk-nag AWS Solutions checks', () => {
  it('synthesizes every stack without unacknowledged findings', () => {
    expect(synthError).toBeUndefined();
    // A data, an API and a Workflows stack per region (privacy export everywhere, the US also the recording transfer).
    expect(assembly?.stacks.map((stack) => stack.stackName).sort()).toEqual(
      hostingRegionKeys
        .flatMap((r) => [stackNames(r).data, stackNames(r).api, stackNames(r).workflows])
        .sort(),
    );
  });

  it('finds nothing unacknowledged when the pack walks the whole app again', () => {
    // Act
    const report = new AwsSolutionsChecks().validateScope(app);

    // Assess
    expect(report.violations.map((v) => `${v.ruleName} @ ${v.violatingResources[0]?.constructPath}`)).toEqual(
      [],
    );
    expect(report.success).toBe(true);
  });

  it('gives every acknowledgement a specific reason and only acknowledges accepted rule families', () => {
    // Act
    const acks = acknowledgements(app);

    // Assess
    expect(acks.length).toBeGreaterThan(0);
    for (const [path, id, reason] of acks) {
      expect(typeof reason, `${id} at ${path}`).toBe('string');
      expect((reason as string).trim().length, `${id} at ${path}`).toBeGreaterThan(30);
      const family = /^AwsSolutions-([A-Z]+\d+)(\[.+\])?$/.exec(id)?.[1];
      expect(acknowledgeableRules.has(family ?? ''), `${id} at ${path}`).toBe(true);
    }
  });

  it('acknowledges a wildcard resource only where a policy under that construct grants it', () => {
    // Prepare: every policy statement's resources as cdk-nag names them, by the policy's construct path
    // (inline policies of roles, and managed policies such as the operators', acknowledged on themselves).
    const granted = app.node
      .findAll()
      .filter(
        (construct): construct is Policy | ManagedPolicy =>
          construct instanceof Policy || construct instanceof ManagedPolicy,
      )
      .flatMap((policy) => {
        const document = Stack.of(policy).resolve(policy.document.toJSON()) as {
          Statement: { Resource: unknown }[];
        };
        return document.Statement.flatMap((statement) =>
          [statement.Resource].flat().map((arn) => ({
            path: policy.node.path,
            resource: flattenCfnReference(arn),
          })),
        );
      });
    const wildcards = acknowledgements(app).flatMap(([path, id]) => {
      const resource = /^AwsSolutions-IAM5\[Resource::(.+)\]$/.exec(id)?.[1];
      return resource ? [{ path, resource }] : [];
    });

    // Act: an acknowledgement with no such grant under it would excuse a permission nobody has.
    const stale = wildcards.filter(
      ({ path, resource }) =>
        !granted.some(
          (grant) =>
            (grant.path === path || grant.path.startsWith(`${path}/`)) && grant.resource === resource,
        ),
    );

    // Assess
    expect(wildcards.length).toBeGreaterThan(50);
    expect(stale.map(({ path, resource }) => `${resource} @ ${path}`)).toEqual([]);
  });

  it('writes every acknowledgement with its reason into the templates for auditors', () => {
    // Prepare
    const expected = new Set(acknowledgements(app).map(([, id, reason]) => `${id} :: ${reason}`));
    const written = new Set<string>();

    // Act
    for (const stack of assembly?.stacks ?? []) {
      const resources = (
        stack.template as { Resources: Record<string, { Metadata?: Record<string, unknown> }> }
      ).Resources;
      for (const resource of Object.values(resources)) {
        const nag = resource.Metadata?.cdk_nag as
          { rules_to_suppress: { id: string; reason: string }[] } | undefined;
        for (const rule of nag?.rules_to_suppress ?? []) {
          expect(rule.reason.trim(), rule.id).not.toBe('');
          written.add(`${rule.id} :: ${rule.reason}`);
        }
      }
    }

    // Assess
    expect([...expected].filter((entry) => !written.has(entry))).toEqual([]);
  });
});
