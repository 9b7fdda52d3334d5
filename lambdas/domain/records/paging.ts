/**
 * Which page of a list to read. `cursor` (the `next` of the page before) resumes right after that page,
 * at a cost that does not grow with how far into the list it is; without one, `page` counts pages of
 * `perPage` from the start (Freshdesk v2), at most `maxPagedRecords` deep.
 */
export interface Paging {
  readonly page: number;
  readonly perPage: number;
  readonly cursor?: string;
}

/**
 * How deep `page` alone may reach: `page × per_page` at most this. Reading page n without a cursor
 * reads n × per_page entries of every shard of an index, so the bound is what keeps one request's work
 * bounded; past it, follow the `link` header, whose cursor reads one page's worth whatever the page.
 */
export const maxPagedRecords = 2_000;

/**
 * Most index entries one list request evaluates beyond a page's worth per partition, for lists that
 * filter what they read (ticket scope, overdue requests, deleted children): past it the page is
 * answered as far as it got (possibly short, even empty) with a cursor to go on from there.
 */
export const maxFilteredReads = 1_000;
