import { describe, expect, it } from 'vitest';
import { errorResponse } from '../../lambdas/http/error-responder.ts';
import { parseQueryText } from '../../lambdas/domain/search/query-parser.ts';
import { printQuery } from '../../lambdas/domain/search/query-printer.ts';
import { parseSearchQuery, queryTextOf } from '../../lambdas/domain/search/search-query.ts';
import { queryErrorOf, term, withoutPositions } from './search-query.arbitraries.ts';

const parseError = (text: string) => queryErrorOf(() => parseQueryText(text));

describe('filter search grammar', () => {
  it.each([
    ['tickets', '"priority:3"'],
    ['tickets', '"status:3 OR status:4"'],
    ['tickets', '"tag:null"'],
    ['tickets', '"priority:>3 AND group_id:11 AND status:2"'],
    ['tickets', `"(type:'Question' OR type:'Problem') AND (due_by:>'2017-10-01' AND due_by:<'2017-10-07')"`],
    ['tickets', `"tag:'marketing' AND agent_id:null"`],
    ['tickets', `"created_at:>'2017-01-01' AND updated_at:<'2017-01-10' AND fr_due_by:'2017-01-03'"`],
    ['contacts', `"email:'user@example.com' OR mobile:'+1 555 0100'"`],
    ['contacts', `"company_id:5 AND active:true AND twitter_id:null AND phone:'030 1234'"`],
    ['companies', `"domain:'example.com' AND created_at:>'2017-01-01'"`],
  ] as const)('parses v2 example %s %s', (resource, parameter) => {
    // Act
    const parsed = parseSearchQuery(parameter, resource);

    // Assert
    expect(parsed.plan.alternatives.length).toBeGreaterThan(0);
  });

  it('binds AND tighter than OR', () => {
    // Act
    const tree = withoutPositions(parseQueryText('status:2 OR status:3 AND priority:4'));

    // Assert
    expect(tree).toEqual({
      kind: 'or',
      operands: [
        term('status', 'eq', 2),
        { kind: 'and', operands: [term('status', 'eq', 3), term('priority', 'eq', 4)] },
      ],
    });
  });

  it('keeps parentheses as groups', () => {
    // Act
    const tree = withoutPositions(parseQueryText('(status:2 OR status:3) AND (priority:4)'));

    // Assert
    expect(tree).toEqual({
      kind: 'and',
      operands: [
        { kind: 'or', operands: [term('status', 'eq', 2), term('status', 'eq', 3)] },
        term('priority', 'eq', 4),
      ],
    });
  });

  it('reads the three comparisons, booleans, null and blanks between tokens', () => {
    // Act
    const tree = withoutPositions(
      parseQueryText(" a:>1  AND\tb:<'2017-01-01' AND c:true AND d : false AND e:null "),
    );

    // Assert
    expect(tree).toEqual({
      kind: 'and',
      operands: [
        term('a', 'gte', 1),
        term('b', 'lte', '2017-01-01'),
        term('c', 'eq', true),
        term('d', 'eq', false),
        term('e', 'eq', null),
      ],
    });
  });

  it("takes anything inside single quotes, with \\' and \\\\ escaped", () => {
    // Act
    const tree = withoutPositions(parseQueryText(String.raw`type:'it\'s (a:1 OR "x") AND \\ done'`));

    // Assert
    expect(tree).toEqual(term('type', 'eq', String.raw`it's (a:1 OR "x") AND \ done`));
  });

  it('records where each term and value starts', () => {
    // Act
    const tree = parseQueryText("(status:2 OR  tag:'x')");

    // Assert
    expect(tree).toMatchObject({
      operands: [
        { position: 1, valuePosition: 8 },
        { position: 14, valuePosition: 18 },
      ],
    });
  });

  it.each([
    ['', 0, "Expected '(' or a field name, found the end of the query"],
    ['status:', 7, 'Expected an integer, a quoted string, true, false or null, found the end of the query'],
    ['status:2 priority:3', 9, 'Expected AND, OR or the end of the query, found a field name'],
    ['(status:2', 9, "Expected ')', found the end of the query"],
    ['status:2)', 8, "Expected AND, OR or the end of the query, found ')'"],
    ['status:2 AND', 12, "Expected '(' or a field name, found the end of the query"],
    ['status:2 and priority:3', 9, 'Expected AND, OR or the end of the query, found a field name'],
    ['status 2', 7, "Expected ':', ':>' or ':<', found an integer"],
    ['status:>>2', 8, 'Unexpected character'],
    ["tag:'open", 4, 'Unclosed quoted string'],
    ['tag:"x"', 4, 'Unexpected character'],
    ['status:-2', 7, 'Unexpected character'],
    ['group_id:99999999999999999999', 9, 'Integer too large'],
    ['OR status:2', 0, "Expected '(' or a field name, found OR"],
  ])('refuses %j at position %i', (text, position, message) => {
    // Act
    const error = parseError(text);

    // Assert
    expect(error.position).toBe(position);
    expect(error.errors).toEqual([
      { field: 'query', message: `${message} at position ${position}`, code: 'invalid_value' },
    ]);
  });

  it('never quotes a value of the query in its message', () => {
    // Act
    const error = parseError("email:'someone@example.com' AND");

    // Assert
    expect(error.errors[0]?.message).not.toContain('someone');
  });

  it('prints a tree as text that parses back to it', () => {
    // Prepare
    const text = String.raw`a:1 OR (b:'x\'y' AND (c:>2 OR d:null)) AND (e:true AND f:<3)`;

    // Act
    const printed = printQuery(parseQueryText(text));

    // Assert
    expect(printed).toBe(text);
  });
});

describe('the query parameter', () => {
  it('needs double quotes around the query', () => {
    // Act
    const errors = ['priority:3', "'priority:3'", '"priority:3', '"'].map((parameter) =>
      queryErrorOf(() => queryTextOf(parameter)),
    );

    // Assert
    for (const error of errors) {
      expect(error.errors[0]?.message).toBe('The query must be enclosed in double quotes at position 0');
    }
  });

  it('takes 512 characters between the quotes, not 513', () => {
    // Prepare
    const padded = (length: number) => `"tag:'${'x'.repeat(length - 6)}'"`;

    // Act
    const longest = parseSearchQuery(padded(512), 'tickets');
    const tooLong = queryErrorOf(() => parseSearchQuery(padded(513), 'tickets'));

    // Assert
    expect(longest.plan.alternatives).toHaveLength(1);
    expect(tooLong.errors[0]?.message).toBe('The query is longer than 512 characters at position 512');
  });

  it("answers v2's 400 through the API's error format", () => {
    // Prepare
    const error = queryErrorOf(() => parseSearchQuery('"status:2 AND"', 'tickets'));

    // Act
    const response = errorResponse(error);

    // Assert
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '')).toEqual({
      description: 'Validation failed',
      errors: [
        {
          field: 'query',
          message: "Expected '(' or a field name, found the end of the query at position 12",
          code: 'invalid_value',
        },
      ],
    });
  });
});
