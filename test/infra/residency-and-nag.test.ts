import { App, Validations } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#lib/app';
import { stackNames } from '#lib/platform/names';
import { type HostingRegionKey, hostingRegionKeys, hostingRegions } from '#lib/residency/index';

/** Rule families we accept acknowledging; a new one must be added here on purpose. */
const acknowledgeableRules = new Set(['S1', 'IAM4', 'IAM5', 'L1', 'APIG4', 'COG4']);

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

function templateText(stackName: string): string {
  if (!assembly) throw new Error('synthesis failed');
  return JSON.stringify(assembly.getStackByName(stackName).template);
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

/**
 * The only places a stack may name another hosting region: IAM policies and function settings that
 * reach the EEA's recordings bucket, table and key from the US transfer workflow, and the US staging
 * bucket from the EEA calls API (the residency rule that moves US-made recordings to the EEA).
 */
const crossRegionLinks: Readonly<Record<string, readonly string[]>> = {
  [stackNames('us').workflows]: [hostingRegions.eea.awsRegion],
  [stackNames('eea').api]: [hostingRegions.us.awsRegion],
};
const linkResourceTypes = new Set(['AWS::IAM::Policy', 'AWS::Lambda::Function']);

function stacksOf(region: HostingRegionKey): string[] {
  const names = Object.values(stackNames(region));
  return names.filter((name) => assembly?.stacks.some((stack) => stack.stackName === name));
}

describe('residency of every region', () => {
  describe.each(hostingRegionKeys)('%s', (region) => {
    const own = hostingRegions[region].awsRegion;
    const others = hostingRegionKeys
      .filter((other) => other !== region)
      .map((other) => hostingRegions[other].awsRegion);

    it('deploys every stack to the catalogue region', () => {
      expect(stacksOf(region).length).toBeGreaterThanOrEqual(2);
      for (const name of stacksOf(region)) {
        expect(assembly?.getStackByName(name).environment.region, name).toBe(own);
      }
    });

    it("never names another region's AWS region, but in the residency rule's own links", () => {
      for (const name of stacksOf(region)) {
        // Prepare: links may only live in IAM policies, function settings and the cdk-nag notes on them.
        const template = assembly?.getStackByName(name).template as {
          Resources: Record<string, { Type: string; Metadata?: unknown }>;
        };
        const resources = Object.values(template.Resources);
        const links = [
          ...resources.filter((r) => linkResourceTypes.has(r.Type)),
          ...resources.map((r) => r.Metadata),
        ];
        const rest = {
          ...template,
          Resources: resources
            .filter((r) => !linkResourceTypes.has(r.Type))
            .map(({ Metadata: _notes, ...resource }) => resource),
        };
        const allowed = crossRegionLinks[name] ?? [];

        // Assess: the check can see region strings at all...
        expect(templateText(name), name).toContain(own);
        for (const other of others) {
          expect(JSON.stringify(rest), `${name} mentions ${other}`).not.toContain(other);
          if (!allowed.includes(other)) {
            expect(JSON.stringify(links), `${name} links to ${other}`).not.toContain(other);
          }
        }
        // ...and every allowed link is really there (the exception list cannot go stale).
        for (const other of allowed) expect(JSON.stringify(links), name).toContain(other);
      }
    });
  });
});

describe('cdk-nag AWS Solutions checks', () => {
  it('synthesizes every stack without unacknowledged findings', () => {
    expect(synthError).toBeUndefined();
    // A data and an API stack per region, plus the US workflows (recording transfer).
    expect(assembly?.stacks.map((stack) => stack.stackName).sort()).toEqual(
      [
        ...hostingRegionKeys.flatMap((r) => [stackNames(r).data, stackNames(r).api]),
        stackNames('us').workflows,
      ].sort(),
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
