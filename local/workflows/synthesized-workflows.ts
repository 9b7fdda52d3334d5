import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { type CfnRule, Rule } from 'aws-cdk-lib/aws-events';
import { type CfnStateMachine, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { buildApp } from '#lib/app';
import { PlatformFunction } from '#lib/constructs/platform-function';
import { stateMachineArn } from '#lib/platform/names';
import type { HostingRegionKey } from '#lib/residency/index';
import { localAwsAccountId } from '../local-credentials.ts';

/** Where a Lambda function's code is: the module and export the local runtime calls. */
export interface LocalFunction {
  readonly entry: string;
  readonly handlerExport: string;
}

/** A state machine as CDK synthesizes it, with every Task state mapped to its function's code. */
export interface LocalWorkflow {
  readonly stateMachineArn: string;
  /** The Amazon States Language definition, intrinsic functions resolved. */
  readonly definition: Record<string, unknown> & { States: Record<string, Record<string, unknown>> };
  readonly tasks: Readonly<Record<string, LocalFunction>>;
}

/** An EventBridge rule of the stack that matches events (not a schedule) and invokes a function. */
export interface LocalEventRule {
  readonly pattern: Record<string, unknown>;
  readonly targets: readonly LocalFunction[];
}

/** A scheduled EventBridge rule (`rate(…)`) of the stack and the functions it invokes. */
export interface LocalSchedule {
  readonly everyMs: number;
  readonly targets: readonly LocalFunction[];
}

const rateUnitsMs: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** The period of an EventBridge `rate(n unit)` expression; undefined for anything else (cron). */
export function rateMs(expression: string): number | undefined {
  const match = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  return match ? Number(match[1]) * (rateUnitsMs[match[2] as string] as number) : undefined;
}

/**
 * The workflows and event rules of a region's Workflows stack, taken from the very constructs `cdk synth`
 * turns into templates (bundling skipped: only definitions are needed). Tokens resolve to local values:
 * the local account id, the region, and function ARNs named after their logical ids.
 */
export function synthesizedWorkflows(region: HostingRegionKey): {
  workflows: LocalWorkflow[];
  rules: LocalEventRule[];
  schedules: LocalSchedule[];
} {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = buildApp(app, { account: localAwsAccountId })[region].workflows;
  if (!stack) return { workflows: [], rules: [], schedules: [] };
  const resolve = (value: unknown) => resolveIntrinsics(stack.resolve(value), stack);

  const functions = new Map<string, LocalFunction>();
  for (const fn of stack.node.findAll().filter((c): c is PlatformFunction => c instanceof PlatformFunction)) {
    functions.set(functionArn(stack, logicalIdOf(fn.function.node.defaultChild)), {
      entry: fn.entry,
      handlerExport: fn.handlerExport,
    });
  }

  const workflows = stack.node
    .findAll()
    .filter((c): c is StateMachine => c instanceof StateMachine)
    .map((machine): LocalWorkflow => {
      const cfn = machine.node.defaultChild as CfnStateMachine;
      const definition = JSON.parse(String(resolve(cfn.definitionString))) as LocalWorkflow['definition'];
      return {
        stateMachineArn: localStateMachineArn(stack, machineNameOf(cfn)),
        definition,
        tasks: taskFunctions(definition.States, functions),
      };
    });

  const cfnRules = stack.node
    .findAll()
    .filter((c): c is Rule => c instanceof Rule)
    .map((rule) => rule.node.defaultChild as CfnRule);
  const targetsOf = (cfn: CfnRule) =>
    (resolve(cfn.targets) as { arn: string }[]).flatMap((target) => functions.get(target.arn) ?? []);
  const rules = cfnRules.flatMap((cfn): LocalEventRule[] => {
    const pattern = resolve(cfn.eventPattern) as Record<string, unknown> | undefined;
    if (!pattern || Object.keys(pattern).length === 0) return [];
    return [{ pattern, targets: targetsOf(cfn) }];
  });
  const schedules = cfnRules.flatMap((cfn): LocalSchedule[] => {
    const everyMs = rateMs(String(resolve(cfn.scheduleExpression) ?? ''));
    return everyMs ? [{ everyMs, targets: targetsOf(cfn) }] : [];
  });
  return { workflows, rules, schedules };
}

/**
 * The ARN the local Step Functions endpoint gives a state machine of `stack`: named by its physical
 * name where CDK gives it one (as on AWS, so an ARN built from the name matches), else its logical id.
 */
export function localStateMachineArn(stack: Stack, name: string): string {
  return stateMachineArn('aws', stack.region, localAwsAccountId, name);
}

function machineNameOf(cfn: CfnStateMachine): string {
  return typeof cfn.stateMachineName === 'string' ? cfn.stateMachineName : logicalIdOf(cfn);
}

function functionArn(stack: Stack, logicalId: string): string {
  return `arn:aws:lambda:${stack.region}:${localAwsAccountId}:function:${logicalId}`;
}

function logicalIdOf(element: unknown): string {
  const cfn = element as CfnElement;
  return Stack.of(cfn).getLogicalId(cfn);
}

function taskFunctions(
  states: Record<string, Record<string, unknown>>,
  functions: ReadonlyMap<string, LocalFunction>,
): Record<string, LocalFunction> {
  const tasks: Record<string, LocalFunction> = {};
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') {
      const target = functions.get(String(state.Resource));
      if (!target)
        throw new Error(`Task ${name} calls ${String(state.Resource)}, which is no local function`);
      tasks[name] = target;
    }
    for (const nested of [state.ItemProcessor, state.Iterator, ...((state.Branches as unknown[]) ?? [])]) {
      const inner = (nested as { States?: Record<string, Record<string, unknown>> } | undefined)?.States;
      if (inner) Object.assign(tasks, taskFunctions(inner, functions));
    }
  }
  return tasks;
}

/** Resolves what CloudFormation would: Fn::Join, pseudo parameters and function ARNs. */
function resolveIntrinsics(value: unknown, stack: Stack): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, stack));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => String(resolveIntrinsics(part, stack))).join(separator);
  }
  if ('Ref' in object) {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': stack.region,
      'AWS::AccountId': localAwsAccountId,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    const name = String(object.Ref);
    return pseudo[name] ?? name;
  }
  if ('Fn::GetAtt' in object) {
    const [logicalId, attribute] = object['Fn::GetAtt'] as [string, string];
    if (attribute !== 'Arn') throw new Error(`Cannot resolve Fn::GetAtt ${logicalId}.${attribute} locally`);
    const resource = stack.node
      .findAll()
      .find((c) => c instanceof CfnElement && logicalIdOf(c) === logicalId);
    const isMachine = resource?.constructor.name === 'CfnStateMachine';
    return isMachine
      ? localStateMachineArn(stack, machineNameOf(resource as CfnStateMachine))
      : functionArn(stack, logicalId);
  }
  return Object.fromEntries(
    Object.entries(object).map(([key, item]) => [key, resolveIntrinsics(item, stack)]),
  );
}
