import { describe, expect, it } from 'vitest';
import { customSearchFieldOf, type CustomSearchField } from '../../lambdas/domain/search/search-fields.ts';
import { parseSearchQuery } from '../../lambdas/domain/search/search-query.ts';
import { queryErrorOf } from './search-query.arbitraries.ts';

const customFields: CustomSearchField[] = [
  { name: 'cf_story_points', type: 'number' },
  { name: 'cf_type', type: 'string' },
];
const messageOf = (query: string, resource: 'tickets' | 'contacts' | 'companies' = 'tickets') =>
  queryErrorOf(() => parseSearchQuery(`"${query}"`, resource, customFields)).errors[0]?.message;
const planOf = (query: string, resource: 'tickets' | 'contacts' | 'companies' = 'tickets') =>
  parseSearchQuery(`"${query}"`, resource, customFields).plan.alternatives;

describe('filter search fields', () => {
  it.each([
    ['requester_id:1', 'tickets', "Unknown field 'requester_id' for tickets at position 0"],
    ["status:2 AND email:'a@b.c'", 'tickets', "Unknown field 'email' for tickets at position 13"],
    ['priority:1', 'contacts', "Unknown field 'priority' for contacts at position 0"],
    [
      "tag:>'a'",
      'tickets',
      "'tag' takes ':' only (':>' and ':<' need a number or a date field) at position 0",
    ],
    [
      'agent_id:<5',
      'tickets',
      "'agent_id' takes ':' only (':>' and ':<' need a number or a date field) at position 0",
    ],
    ["priority:'high'", 'tickets', "'priority' takes an integer at position 9"],
    ['status:7', 'tickets', "'status' takes one of 2, 3, 4, 5 at position 7"],
    ['status:null', 'tickets', "'status' always has a value; null is not allowed at position 7"],
    ['due_by:>null', 'tickets', "null goes with ':' only at position 8"],
    ["created_at:'2017-13-01'", 'tickets', "'created_at' takes a date written 'YYYY-MM-DD' at position 11"],
    ["created_at:'2017-02-30'", 'tickets', "'created_at' takes a date written 'YYYY-MM-DD' at position 11"],
    [
      "created_at:>'2017-01-01T10:00:00Z'",
      'tickets',
      "'created_at' takes a date written 'YYYY-MM-DD' at position 12",
    ],
    ['updated_at:2017', 'companies', "'updated_at' takes a date written 'YYYY-MM-DD' at position 11"],
    ["active:'true'", 'contacts', "'active' takes true or false at position 7"],
    ['email:true', 'contacts', "'email' takes a quoted string at position 6"],
    [
      "email:'  '",
      'contacts',
      "'email' takes a value with content (null finds records without one) at position 6",
    ],
    [
      "phone:'n/a'",
      'contacts',
      "'phone' takes a value with content (null finds records without one) at position 6",
    ],
    ["cf_story_points:'3'", 'tickets', "'cf_story_points' takes an integer at position 16"],
  ] as const)('refuses %j on %s', (query, resource, message) => {
    // Act
    const error = messageOf(query, resource);

    // Assert
    expect(error).toBe(message);
  });

  it('accepts a custom field by its name with or without cf_, a built-in name staying built-in', () => {
    // Act
    const withPrefix = planOf('cf_story_points:>3');
    const withoutPrefix = planOf('story_points:>3');
    const builtIn = planOf("type:'Question'");
    const contactField = parseSearchQuery('"cf_plan:\'gold\'"', 'contacts', [
      { name: 'plan', type: 'string' },
    ]);

    // Assert
    expect(withPrefix).toEqual([[{ field: 'cf_story_points', op: 'gte', value: 3 }]]);
    expect(withoutPrefix).toEqual(withPrefix);
    expect(builtIn).toEqual([[{ field: 'type', op: 'eq', value: 'question' }]]);
    expect(contactField.plan.alternatives).toEqual([[{ field: 'plan', op: 'eq', value: 'gold' }]]);
  });

  it('searches the custom field types v2 searches', () => {
    // Act
    const types = [
      'custom_text',
      'custom_dropdown',
      'custom_number',
      'custom_checkbox',
      'custom_date',
      'custom_paragraph',
      'custom_decimal',
    ].map((type) => customSearchFieldOf({ name: 'x', type })?.type);

    // Assert
    expect(types).toEqual(['string', 'string', 'number', 'boolean', 'date', undefined, undefined]);
  });

  it('refuses an encrypted custom field of any type, naming it and its position', () => {
    const encrypted = ['custom_text', 'custom_paragraph', 'custom_number'].map((type, index) =>
      customSearchFieldOf({ name: `cf_secret${index}`, type, encrypted: true })!,
    );
    const refused = (query: string) =>
      queryErrorOf(() => parseSearchQuery(`"${query}"`, 'tickets', encrypted)).errors[0]?.message;

    expect(refused("status:2 AND secret0:'x'")).toBe(
      "'cf_secret0' is encrypted; encrypted fields cannot be searched at position 13",
    );
    expect(refused("cf_secret1:'x'")).toMatch(/^'cf_secret1' is encrypted/);
    expect(refused('cf_secret2:>3')).toMatch(/^'cf_secret2' is encrypted/);
  });
});

describe('filter search plans', () => {
  it('normalises e-mail, phone and text as the lookups store them', () => {
    // Act
    const plan = planOf(
      "email:' Ann@Example.COM ' OR mobile:'+49 (30) 1234-5' OR twitter_id:'@Ann'",
      'contacts',
    );

    // Assert
    expect(plan).toEqual([
      [{ field: 'email', op: 'eq', value: 'ann@example.com' }],
      [{ field: 'mobile', op: 'eq', value: '+493012345' }],
      [{ field: 'twitter_id', op: 'eq', value: '@ann' }],
    ]);
  });

  it('turns days into inclusive UTC bounds', () => {
    // Act
    const plan = planOf("created_at:>'2017-01-01' AND due_by:<'2017-01-10' AND fr_due_by:'2017-02-03'");

    // Assert
    expect(plan).toEqual([
      [
        { field: 'created_at', op: 'gte', value: '2017-01-01T00:00:00.000Z' },
        { field: 'due_by', op: 'lte', value: '2017-01-10T23:59:59.999Z' },
        { field: 'fr_due_by', op: 'gte', value: '2017-02-03T00:00:00.000Z' },
        { field: 'fr_due_by', op: 'lte', value: '2017-02-03T23:59:59.999Z' },
      ],
    ]);
  });

  it('spreads AND over OR, each alternative and term once', () => {
    // Act
    const plan = planOf(
      '(status:2 OR status:3) AND (priority:1 OR priority:1) AND group_id:null AND status:2',
    );

    // Assert
    expect(plan).toEqual([
      [
        { field: 'group_id', op: 'null', value: null },
        { field: 'priority', op: 'eq', value: 1 },
        { field: 'status', op: 'eq', value: 2 },
      ],
      [
        { field: 'group_id', op: 'null', value: null },
        { field: 'priority', op: 'eq', value: 1 },
        { field: 'status', op: 'eq', value: 2 },
        { field: 'status', op: 'eq', value: 3 },
      ],
    ]);
  });

  it('refuses a query that expands to more than 32 alternatives', () => {
    // Prepare
    const pairs = [2, 3, 4, 5, 6, 7].map((group) => `(group_id:${group} OR agent_id:${group})`);

    // Act
    const fits = planOf(pairs.slice(0, 5).join(' AND '));
    const error = messageOf(pairs.join(' AND '));

    // Assert
    expect(fits).toHaveLength(32);
    expect(error).toBe(
      'The query expands to more than 32 alternatives (OR of ANDs); use fewer ORs inside ANDs at position 1',
    );
  });
});
