import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '#domain/errors';
import { maxPagedRecords } from '#domain/records/paging';
import { recordTypes } from '#domain/records/record';

/**
 * Where a list stopped in one of the partitions it merges: `null` not read yet, `0` read to its end,
 * else the sort key of the last entry read there, with its record type when the list is an index (the
 * record's table key is rebuilt from the caller's account, the type and the sort key's id).
 */
export type PartitionPosition = null | 0 | readonly [string] | readonly [string, string];

/** The state of a list between two requests: every partition's position and what is left to skip. */
export interface ListPosition {
  readonly positions: readonly PartitionPosition[];
  readonly skip: number;
}

/** A sort key of a listed record (`<ISO instant>#<16-digit id>`): nothing else may stand in a cursor. */
const sortKey = z.string().regex(/^[0-9A-Za-z:.+-]{1,40}#[0-9]{16}$/);
const cursorSchema = z
  .object({
    v: z.literal(1),
    t: z.string().regex(/^[0-9a-f]{16}$/),
    p: z
      .array(z.union([z.null(), z.literal(0), z.tuple([sortKey]), z.tuple([sortKey, z.enum(recordTypes)])]))
      .min(1)
      .max(32),
    s: z.number().int().min(1).max(maxPagedRecords).optional(),
  })
  .strict();

/** The record id at the end of a listed record's sort key. */
export const idOfSortKey = (key: string) => Number(key.slice(key.lastIndexOf('#') + 1));

/**
 * What a cursor is bound to: the caller's account and the list (index, partitions, range, order,
 * filters). A cursor of another account or list is refused, whatever it holds.
 */
export const listIdentity = (accountId: string, list: unknown) =>
  createHash('sha256')
    .update(JSON.stringify([accountId, list]))
    .digest('hex')
    .slice(0, 16);

const invalidCursor = () =>
  new ValidationError([
    {
      field: 'cursor',
      code: 'invalid_value',
      message:
        'It is not a cursor of this list; follow the link header of the page before, or start again without it.',
    },
  ]);

/** An opaque cursor for the client to send back: where the list goes on, bound to `identity`. */
export function encodeListCursor(identity: string, position: ListPosition): string {
  const json = { v: 1, t: identity, p: position.positions, ...(position.skip > 0 && { s: position.skip }) };
  return Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');
}

/**
 * The position a client's cursor names, checked against the list it is used on: anything but a cursor
 * this list gave (another account's or list's, a partition count that differs, keys of another shape)
 * is a 400 naming `cursor`. It holds only sort keys and record types, never a partition key: the keys
 * read are always built from the caller's own account.
 */
export function decodeListCursor(
  cursor: string,
  identity: string,
  partitions: number,
  checkPosition: (position: readonly [string] | readonly [string, string], partition: number) => boolean,
): ListPosition {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success || parsed.data.t !== identity || parsed.data.p.length !== partitions) {
    throw invalidCursor();
  }
  const positions = parsed.data.p as PartitionPosition[];
  positions.forEach((position, partition) => {
    if (position !== null && position !== 0 && !checkPosition(position, partition)) throw invalidCursor();
  });
  return { positions, skip: parsed.data.s ?? 0 };
}
