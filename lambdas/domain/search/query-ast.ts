/**
 * The syntax tree of a Freshdesk v2 filter-search query (`GET /api/v2/search/tickets?query="…"`), as the
 * parser builds it: no field is known or typed yet (see query-check.ts).
 */

/** `:` equals (or, with `null`, "has no value"), `:>` at least, `:<` at most (both inclusive). */
export type TermOperator = 'eq' | 'gte' | 'lte';

export type QueryValue =
  | { readonly type: 'integer'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'null' };

/** `field:value`; positions are 0-based offsets into the text between the query's double quotes. */
export interface QueryTerm {
  readonly kind: 'term';
  readonly field: string;
  readonly operator: TermOperator;
  readonly value: QueryValue;
  readonly position: number;
  readonly valuePosition: number;
}

/** Two or more operands joined by AND or by OR; a parenthesised group stays its own node. */
export interface QueryGroup<Term = QueryTerm> {
  readonly kind: 'and' | 'or';
  readonly operands: readonly QueryNode<Term>[];
}

export type QueryNode<Term = QueryTerm> = Term | QueryGroup<Term>;

/** The first position in the query text a node covers. */
export function startOf<Term extends { readonly position: number }>(node: Term | QueryGroup<Term>): number {
  return 'operands' in node ? startOf(node.operands[0] as Term | QueryGroup<Term>) : node.position;
}
