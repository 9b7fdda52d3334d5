import { randomInt } from 'node:crypto';

/** New record ids: random integers below 2^48, safe in JSON numbers, as Freshdesk v2 clients expect. */
export const newRecordId = () => randomInt(1, 2 ** 48 - 1);
