import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** DynamoDB requests of one operation: how many of each command, and the items they answered. */
export interface Tally {
  readonly requests: Record<string, number>;
  items: number;
}

/**
 * Counts the requests `client` sends while `run` runs, by command, and the items they answer (Query's
 * `Items`, BatchGetItem's `Responses`): what one operation costs, beside how long it takes.
 */
export async function tallyRequests(
  client: DynamoDBDocumentClient,
  run: () => Promise<unknown>,
): Promise<Tally> {
  const tally: Tally = { requests: {}, items: 0 };
  const name = `tally-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const output = result.output as { Items?: unknown[]; Responses?: Record<string, unknown[]> };
      const command = context.commandName ?? 'unknown';
      tally.requests[command] = (tally.requests[command] ?? 0) + 1;
      tally.items +=
        output.Items?.length ??
        Object.values(output.Responses ?? {}).reduce((sum, items) => sum + items.length, 0);
      return result;
    },
    { step: 'initialize', name },
  );
  try {
    await run();
  } finally {
    client.middlewareStack.remove(name);
  }
  return tally;
}

export const describeTally = (tally: Tally) =>
  `${Object.entries(tally.requests)
    .map(([command, count]) => `${count} ${command.replace('Command', '')}`)
    .join(', ')}; ${tally.items} items`;
