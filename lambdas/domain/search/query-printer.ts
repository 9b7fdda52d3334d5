import type { QueryNode, QueryTerm, QueryValue, TermOperator } from './query-ast.ts';
import { quote } from './query-lexer.ts';

const operators: Record<TermOperator, string> = { eq: ':', gte: ':>', lte: ':<' };

function printValue(value: QueryValue): string {
  switch (value.type) {
    case 'integer':
      return String(value.value);
    case 'string':
      return quote(value.value);
    case 'boolean':
      return String(value.value);
    case 'null':
      return 'null';
  }
}

/**
 * A query's text, parsing back to the same tree: parentheses only where the tree needs them (an OR
 * inside an AND, and a group nested in a group of its own kind).
 */
export function printQuery(
  node: QueryNode<Pick<QueryTerm, 'kind' | 'field' | 'operator' | 'value'>>,
): string {
  if (node.kind === 'term') return `${node.field}${operators[node.operator]}${printValue(node.value)}`;
  return node.operands
    .map((operand) => {
      const text = printQuery(operand);
      const needsParens = operand.kind === node.kind || (operand.kind === 'or' && node.kind === 'and');
      return needsParens ? `(${text})` : text;
    })
    .join(node.kind === 'and' ? ' AND ' : ' OR ');
}
