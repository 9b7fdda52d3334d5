import type { RecordType } from './record.ts';

/** The key a record is listed under its parent: `<parent type>#<parent id>#<type>`. */
export const childrenKey = (parentType: RecordType, parentId: number, type: RecordType) =>
  `${parentType}#${parentId}#${type}`;
