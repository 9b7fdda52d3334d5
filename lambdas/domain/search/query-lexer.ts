import { createToken, Lexer, type TokenType } from 'chevrotain';
import { SearchQueryError } from './search-query-error.ts';

/**
 * The tokens of the filter-search language. Labels describe a token in error messages without quoting
 * its text (a quoted string may hold an e-mail address).
 */
export const FieldName = createToken({
  name: 'FieldName',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  label: 'a field name',
});
export const And = createToken({ name: 'And', pattern: /AND/, longer_alt: FieldName, label: 'AND' });
export const Or = createToken({ name: 'Or', pattern: /OR/, longer_alt: FieldName, label: 'OR' });
export const True = createToken({ name: 'True', pattern: /true/, longer_alt: FieldName, label: 'true' });
export const False = createToken({ name: 'False', pattern: /false/, longer_alt: FieldName, label: 'false' });
export const Null = createToken({ name: 'Null', pattern: /null/, longer_alt: FieldName, label: 'null' });
export const AtLeast = createToken({ name: 'AtLeast', pattern: /:>/, label: "':>'" });
export const AtMost = createToken({ name: 'AtMost', pattern: /:</, label: "':<'" });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const LeftParen = createToken({ name: 'LeftParen', pattern: /\(/, label: "'('" });
export const RightParen = createToken({ name: 'RightParen', pattern: /\)/, label: "')'" });
export const Integer = createToken({ name: 'Integer', pattern: /\d+/, label: 'an integer' });
/** Single quotes; a backslash takes the next character as it is (`'it\'s'`). */
export const QuotedString = createToken({
  name: 'QuotedString',
  pattern: /'(?:[^'\\]|\\[\s\S])*'/,
  label: 'a quoted string',
});
const Blank = createToken({ name: 'Blank', pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED });

export const queryTokens: TokenType[] = [
  Blank,
  AtLeast,
  AtMost,
  Colon,
  LeftParen,
  RightParen,
  QuotedString,
  Integer,
  And,
  Or,
  True,
  False,
  Null,
  FieldName,
];

let lexer: Lexer | undefined;

/** The query's tokens; an unknown character, an unclosed string or a too large integer is an error. */
export function tokenise(text: string) {
  lexer ??= new Lexer(queryTokens, { positionTracking: 'onlyOffset' });
  const { tokens, errors } = lexer.tokenize(text);
  const [error] = errors;
  if (error) {
    const unclosed = text[error.offset] === "'";
    throw new SearchQueryError(error.offset, unclosed ? 'Unclosed quoted string' : 'Unexpected character');
  }
  const tooLarge = tokens.find(
    (token) => token.tokenType === Integer && !Number.isSafeInteger(Number(token.image)),
  );
  if (tooLarge) throw new SearchQueryError(tooLarge.startOffset, 'Integer too large');
  return tokens;
}

/** The text a quoted string stands for. */
export const unquote = (image: string) => image.slice(1, -1).replace(/\\([\s\S])/g, '$1');

/** A string as the query language writes it. */
export const quote = (text: string) => `'${text.replace(/[\\']/g, '\\$&')}'`;
