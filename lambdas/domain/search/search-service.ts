import type { Principal } from '#domain/account';
import { FieldService } from '#domain/fields/field-service';
import type { RecordStore } from '#domain/records/record-store';
import type { RecordType, StoredRecord } from '#domain/records/record';
import { mayAccessTicket, ticketFilterFor } from '#domain/tickets/ticket-access';
import { type LookupReader, SearchExecutor, type SearchBounds, searchBounds } from './search-executor.ts';
import {
  type CustomSearchField,
  SearchCatalogue,
  type SearchResource,
  customSearchFieldOf,
} from './search-fields.ts';
import { equalityPrefix } from './search-lookups.ts';
import { parseSearchQuery } from './search-query.ts';
import { SearchQueryError } from './search-query-error.ts';

/** v2's search pages: 30 results each, pages 1 to 10. */
export const searchPageSize = 30;
export const maxSearchPage = 10;

const recordTypes: Readonly<Record<SearchResource, RecordType>> = {
  tickets: 'ticket',
  contacts: 'contact',
  companies: 'company',
};

export interface SearchPage<F extends object> {
  readonly records: StoredRecord<F>[];
  /** Every match the caller may see (all pages). */
  readonly total: number;
}

/** An id the caller's scope does not name: what a held id none of theirs matches is taken for. */
const unknownId = -1;

/**
 * The value of an equality lookup a record holds for a single-valued field (`agent_id`, `group_id`),
 * among the ids `known` (the caller's own and their groups): the values are held in the reader's
 * stored form (keyed hashes), so each known id (and "no value") is compared in that form; any other id
 * is `unknownId`, which no scope rule names.
 */
function heldId(
  values: Readonly<Record<string, string>>,
  field: string,
  known: readonly number[],
  stored: (value: string) => string,
): number | null {
  const prefix = `${equalityPrefix}${field}|`;
  const key = Object.keys(values).find((name) => name.startsWith(prefix));
  if (!key) return null;
  const held = key.slice(prefix.length);
  if (held === stored(JSON.stringify(null))) return null;
  return known.find((id) => stored(JSON.stringify(id)) === held) ?? unknownId;
}

/**
 * Filter search (`GET /api/v2/search/{resource}`, docs/search.md): the query checked against the
 * resource's fields and the account's custom fields, run over the lookup items, then one page of
 * records read by id. A ticket outside the caller's scope is neither returned nor counted.
 */
export class SearchService {
  constructor(
    private readonly deps: { store: RecordStore; now: () => Date; newId: () => number },
    private readonly bounds: SearchBounds = searchBounds,
  ) {}

  async search<F extends object>(
    principal: Principal,
    resource: SearchResource,
    query: string,
    page: number,
  ): Promise<SearchPage<F>> {
    const { plan, custom } = await this.parse(principal, resource, query);
    const type = recordTypes[resource];
    const reader = await this.deps.store.searchLookups(principal.accountId, type);
    const matching = await new SearchExecutor(reader, this.bounds).matchingIds(
      plan,
      new SearchCatalogue(resource, custom),
    );
    const ids = resource === 'tickets' ? await this.visibleTickets(principal, reader, matching) : matching;
    const shown = ids.slice((page - 1) * searchPageSize, page * searchPageSize);
    const records = await this.deps.store.getMany<F>(
      principal.accountId,
      shown.map((id) => ({ type, id })),
    );
    const byId = new Map(records.map((record) => [record.ref.id, record]));
    return {
      records: shown.flatMap((id) => byId.get(id) ?? []),
      total: ids.length,
    };
  }

  /**
   * The query checked with the built-in fields alone first: a built-in name always means the built-in
   * field, so a query naming only those means the same whatever the account defined, and needs no read
   * of field definitions. Else (a custom field, or an error) checked again with the account's fields.
   */
  private async parse(principal: Principal, resource: SearchResource, query: string) {
    try {
      return { ...parseSearchQuery(query, resource), custom: [] };
    } catch (error) {
      if (!(error instanceof SearchQueryError)) throw error;
    }
    const custom = await this.customFields(principal, resource);
    return { ...parseSearchQuery(query, resource, custom), custom };
  }

  /** The account's custom fields v2 searches, by the name their records use. */
  private async customFields(principal: Principal, resource: SearchResource): Promise<CustomSearchField[]> {
    // Companies have no field definitions yet: their custom fields are not searchable.
    if (resource === 'companies') return [];
    const definitions = await new FieldService(
      this.deps,
      resource === 'tickets' ? 'ticket' : 'contact',
    ).definitions(principal);
    return definitions
      .filter((definition) => !definition.fields.default)
      .flatMap((definition) => customSearchFieldOf(definition.fields) ?? []);
  }

  /** The tickets among `ids` the caller may see, judged by their agent and group lookups. */
  private async visibleTickets(principal: Principal, reader: LookupReader, ids: number[]): Promise<number[]> {
    if (!ticketFilterFor(principal) || ids.length === 0) return ids;
    const values = await reader.lookupValues(ids);
    const stored = (value: string) => reader.storedValue?.(value) ?? value;
    const agents = [principal.agentId];
    const groups = [
      ...(principal.ticketScope?.groupIds ?? []),
      ...(principal.ticketSharing?.readGroupIds ?? []),
      ...(principal.ticketSharing?.writeGroupIds ?? []),
      ...(principal.ticketSharing?.hiddenGroupIds ?? []),
    ];
    return ids.filter((id) => {
      const held = values.get(id);
      return (
        held !== undefined &&
        mayAccessTicket(principal, {
          // Agents' access does not depend on the requester; requesters do not search.
          requester_id: 0,
          responder_id: heldId(held, 'agent_id', agents, stored),
          group_id: heldId(held, 'group_id', groups, stored),
        })
      );
    });
  }
}
