import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoRateBudget } from '../../lambdas/adapters/dynamo-rate-budget.ts';
import { LeasedRateLimiter, leaseSize, maxLeaseSize } from '../../lambdas/domain/rate-lease.ts';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const dynamo = mockClient(documentClient);
afterEach(() => dynamo.reset());

/** A new Lambda container: its own leases over the one shared budget table. */
const container = () => new LeasedRateLimiter(new DynamoRateBudget(documentClient, 'table'));
const at = (time: string) => new Date(`2026-11-23T${time}Z`);
/** What DynamoDB answers when the block does not fit: the count it saw, as raw attribute values. */
const doesNotFit = (used: number) =>
  new ConditionalCheckFailedException({ message: 'no', $metadata: {}, Item: { used: { N: String(used) } } });
const asked = () => dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);

async function consumeTimes(limiter: LeasedRateLimiter, times: number, limit: number, now: Date) {
  const decisions = [];
  for (let i = 0; i < times; i++) decisions.push(await limiter.consume('a', limit, now));
  return decisions;
}

describe('lease size', () => {
  it('counts small budgets one by one and reserves a fiftieth of larger ones, up to a cap', () => {
    expect([1, 3, 50, 99, 100, 250, 1000, 5000, 1_000_000].map(leaseSize)).toEqual([
      1, 1, 1, 1, 2, 5, 20, 20, 20,
    ]);
    expect(maxLeaseSize).toBe(20);
  });
});

describe('leased per-account rate limit', () => {
  it('spends a reserved block without a round trip per request', async () => {
    // Prepare: the block of 20 is granted; every container together has now used 20 of 1000.
    dynamo.on(UpdateCommand).resolves({ Attributes: { used: 20 } });
    const limiter = container();

    // Act
    const decisions = await consumeTimes(limiter, 20, 1000, at('10:00:10'));

    // Assess
    expect(decisions.every((decision) => decision.allowed)).toBe(true);
    expect(decisions.map((decision) => decision.remaining).slice(0, 2)).toEqual([999, 998]);
    expect(decisions.at(-1)?.remaining).toBe(980);
    expect(asked()).toEqual([
      expect.objectContaining({
        Key: { pk: 'A#a#RATE#2026-11-23T10:00', sk: 'RATE' },
        ConditionExpression: 'attribute_not_exists(used) OR used <= :room',
        ExpressionAttributeValues: expect.objectContaining({ ':asked': 20, ':room': 980 }),
      }),
    ]);

    // The 21st request reserves the next block.
    await limiter.consume('a', 1000, at('10:00:11'));
    expect(asked()).toHaveLength(2);
  });

  it('never lets containers together exceed the budget, and refuses without asking again once spent', async () => {
    // Prepare: 97 of 100 used. Container A gets a block of 2 (99 used); container B's block of 2 no
    // longer fits, so it gets the last one; after that the budget says no.
    dynamo
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: { used: 99 } })
      .rejectsOnce(doesNotFit(99))
      .resolvesOnce({ Attributes: { used: 100 } })
      .rejects(doesNotFit(100));
    const [a, b] = [container(), container()];
    const now = at('10:00:30');

    // Act
    const fromA = await a.consume('a', 100, now);
    const fromB = await consumeTimes(b, 3, 100, now);
    const moreFromA = await consumeTimes(a, 2, 100, now);

    // Assess: 3 requests allowed for the 3 left, each refusal says when to retry.
    // A's answer: 1 left unreserved in the account plus the 1 A still holds.
    expect(fromA).toMatchObject({ allowed: true, remaining: 2 });
    expect(fromB.map((decision) => decision.allowed)).toEqual([true, false, false]);
    expect(moreFromA.map((decision) => decision.allowed)).toEqual([true, false]);
    expect(fromB[1]).toMatchObject({ remaining: 0, resetsInSeconds: 30, limit: 100 });
    expect(asked().map((input) => input.ExpressionAttributeValues)).toEqual([
      expect.objectContaining({ ':asked': 2, ':room': 98 }), // A's block
      expect.objectContaining({ ':asked': 2, ':room': 98 }), // B's block: does not fit
      expect.objectContaining({ ':asked': 1, ':room': 99 }), // B: the rest
      expect.objectContaining({ ':asked': 1, ':room': 99 }), // B: spent; its 3rd request asks no more
      expect.objectContaining({ ':asked': 1, ':room': 99 }), // A, after its block: spent
    ]);
  });

  it('starts over in a new minute: leftover tokens of the old window are not spent in the new one', async () => {
    // Prepare
    dynamo.on(UpdateCommand).resolves({ Attributes: { used: 20 } });
    const limiter = container();

    // Act
    await limiter.consume('a', 1000, at('10:00:59.900'));
    const next = await limiter.consume('a', 1000, at('10:01:00.100'));

    // Assess
    expect(next).toMatchObject({ allowed: true, resetsInSeconds: 60 });
    expect(asked().map((input) => input.Key?.pk)).toEqual([
      'A#a#RATE#2026-11-23T10:00',
      'A#a#RATE#2026-11-23T10:01',
    ]);
  });

  it('asks again in a new minute after the budget was spent in the old one', async () => {
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(doesNotFit(5))
      .resolves({ Attributes: { used: 1 } });
    const limiter = container();

    const refused = await limiter.consume('a', 5, at('10:00:50'));
    const allowed = await limiter.consume('a', 5, at('10:01:00'));

    expect(refused).toMatchObject({ allowed: false, resetsInSeconds: 10 });
    expect(allowed).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('counts a small budget request by request, exactly', async () => {
    // Prepare: a budget of 3; the count reaches 1, 2, 3, then no block fits.
    dynamo
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: { used: 1 } })
      .resolvesOnce({ Attributes: { used: 2 } })
      .resolvesOnce({ Attributes: { used: 3 } })
      .rejects(doesNotFit(3));

    // Act
    const decisions = await consumeTimes(container(), 5, 3, at('10:00:00'));

    // Assess
    expect(decisions.map((decision) => [decision.allowed, decision.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
      [false, 0],
    ]);
    expect(asked().map((input) => input.ExpressionAttributeValues?.[':asked'])).toEqual([1, 1, 1, 1]);
  });

  it('reserves smaller blocks as the account budget runs low', async () => {
    dynamo
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: { used: 960 } })
      .resolves({ Attributes: { used: 961 } });
    const limiter = container();

    await consumeTimes(limiter, 21, 1000, at('10:00:00'));

    expect(asked().map((input) => input.ExpressionAttributeValues?.[':asked'])).toEqual([20, 1]);
  });

  it('refuses rather than overspends when it keeps losing races for the last requests', async () => {
    // Every attempt sees room, but another container always takes it first.
    dynamo.on(UpdateCommand).rejects(doesNotFit(999));

    const decision = await container().consume('a', 1000, at('10:00:00'));

    expect(decision.allowed).toBe(false);
    expect(asked().length).toBeLessThanOrEqual(5);
  });
});
