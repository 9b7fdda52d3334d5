import {
  EmbeddedActionsParser,
  EOF,
  type IParserErrorMessageProvider,
  type IToken,
  type ParserMethod,
  type TokenType,
  tokenLabel,
} from 'chevrotain';
import type { QueryGroup, QueryNode, QueryTerm, QueryValue, TermOperator } from './query-ast.ts';
import {
  And,
  AtLeast,
  AtMost,
  Colon,
  False,
  FieldName,
  Integer,
  LeftParen,
  Null,
  Or,
  QuotedString,
  queryTokens,
  RightParen,
  tokenise,
  True,
  unquote,
} from './query-lexer.ts';
import { SearchQueryError } from './search-query-error.ts';

/*
 * The grammar (AND binds tighter than OR; a group in parentheses is one operand):
 *
 *   query       = disjunction EOF
 *   disjunction = conjunction { "OR" conjunction }
 *   conjunction = operand { "AND" operand }
 *   operand     = "(" disjunction ")" | term
 *   term        = FieldName ( ":" | ":>" | ":<" ) value
 *   value       = Integer | QuotedString | "true" | "false" | "null"
 */

const describe = (token: IToken) =>
  token.tokenType === EOF ? 'the end of the query' : tokenLabel(token.tokenType);
/** "a, b or c", each token type once. */
function oneOf(types: readonly TokenType[]): string {
  const labels = [...new Set(types.map(tokenLabel))];
  const last = labels.pop() ?? '';
  return labels.length ? `${labels.join(', ')} or ${last}` : last;
}

/** Messages built from token labels only: never the text of the query. */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) =>
    `Expected ${tokenLabel(expected)}, found ${describe(actual)}`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) =>
    `Expected AND, OR or the end of the query, found ${describe(firstRedundant)}`,
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual }) =>
    `Expected ${oneOf(expectedPathsPerAlt.flat().flatMap((path) => path.slice(0, 1)))}, found ${describe(actual[0] as IToken)}`,
  buildEarlyExitMessage: ({ expectedIterationPaths, actual }) =>
    `Expected ${oneOf(expectedIterationPaths.flatMap((path) => path.slice(0, 1)))}, found ${describe(actual[0] as IToken)}`,
};

const group = (kind: QueryGroup['kind'], operands: QueryNode[]): QueryNode =>
  operands.length === 1 ? (operands[0] as QueryNode) : { kind, operands };

class QueryParser extends EmbeddedActionsParser {
  constructor() {
    super(queryTokens, { errorMessageProvider: messages });
    this.performSelfAnalysis();
  }

  readonly query = this.RULE('query', (): QueryNode => this.SUBRULE(this.disjunction));

  private readonly disjunction = this.RULE('disjunction', () => this.joined('or', Or, this.conjunction));

  private readonly conjunction = this.RULE('conjunction', () => this.joined('and', And, this.operand));

  private readonly operand = this.RULE('operand', (): QueryNode =>
    this.OR([
      {
        ALT: () => {
          this.CONSUME(LeftParen);
          const inner = this.SUBRULE(this.disjunction);
          this.CONSUME(RightParen);
          return inner;
        },
      },
      { ALT: () => this.SUBRULE(this.term) },
    ]),
  );

  private readonly term = this.RULE('term', (): QueryTerm => {
    const field = this.CONSUME(FieldName);
    const operator = this.OR([
      { ALT: (): TermOperator => (this.CONSUME(Colon), 'eq') },
      { ALT: (): TermOperator => (this.CONSUME(AtLeast), 'gte') },
      { ALT: (): TermOperator => (this.CONSUME(AtMost), 'lte') },
    ]);
    const { value, position } = this.SUBRULE(this.value);
    return {
      kind: 'term',
      field: field.image,
      operator,
      value,
      position: field.startOffset,
      valuePosition: position,
    };
  });

  private readonly value = this.RULE('value', (): { value: QueryValue; position: number } => {
    const at = (token: IToken, value: QueryValue) => ({ value, position: token.startOffset });
    return this.OR([
      {
        ALT: () => {
          const token = this.CONSUME(Integer);
          return at(token, { type: 'integer', value: Number(token.image) });
        },
      },
      {
        ALT: () => {
          const token = this.CONSUME(QuotedString);
          return at(token, { type: 'string', value: unquote(token.image) });
        },
      },
      { ALT: () => at(this.CONSUME(True), { type: 'boolean', value: true }) },
      { ALT: () => at(this.CONSUME(False), { type: 'boolean', value: false }) },
      { ALT: () => at(this.CONSUME(Null), { type: 'null' }) },
    ]);
  });

  /** One or more operands separated by a keyword: a group of them, or the operand alone. */
  private joined(
    kind: QueryGroup['kind'],
    keyword: TokenType,
    operand: ParserMethod<[], QueryNode>,
  ): QueryNode {
    const operands = [this.SUBRULE(operand)];
    this.MANY(() => {
      this.CONSUME(keyword);
      operands.push(this.SUBRULE2(operand));
    });
    return group(kind, operands);
  }
}

/** Built on first use: its grammar analysis costs tens of milliseconds a cold start need not pay. */
let parser: QueryParser | undefined;

/**
 * The syntax tree of a query's text (what is between the double quotes). Throws SearchQueryError with
 * the position of the first token that does not fit the grammar.
 */
export function parseQueryText(text: string): QueryNode {
  parser ??= new QueryParser();
  parser.input = tokenise(text);
  const tree = parser.query();
  const [error] = parser.errors;
  if (error) {
    const offset = error.token.startOffset;
    throw new SearchQueryError(
      Number.isNaN(offset) || error.token.tokenType === EOF ? text.length : offset,
      error.message,
    );
  }
  return tree;
}
