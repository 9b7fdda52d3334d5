import type { RecordRef } from '#domain/records/record';

const pad = (page: number) => String(page).padStart(6, '0');

/** The bundle name of a subject's stored file (an attachment's or a call's recording): ids only. */
export const storedFileName = (record: RecordRef) => `files/${record.type}-${record.id}`;

/**
 * Every key of a request's export in the exports bucket: ids only. The workflow writes them, the API
 * reads the stored-files list and presigns the bundle's objects.
 */
export const exportKeys = (accountId: string, requestId: number) => {
  const prefix = `exports/${accountId}/${requestId}`;
  return {
    /** Everything of the request's export (work parts, bundle, lists) lies under it. */
    all: `${prefix}/`,
    index: (page: number) => `${prefix}/index/${pad(page)}.ndjson`,
    part: (page: number, category: string) => `${prefix}/parts/${pad(page)}/${category}.ndjson`,
    /** The page's stored files to copy (sources), then as copied (size, checksum). */
    fileSources: (page: number) => `${prefix}/parts/${pad(page)}/file-sources.ndjson`,
    copiedFiles: (page: number) => `${prefix}/parts/${pad(page)}/copied-files.ndjson`,
    /** What the page gave (counts, files found and copied), for the step after the Map. */
    pageResult: (page: number) => `${prefix}/parts/${pad(page)}/result.json`,
    bundle: (name: string) => `${prefix}/bundle/${name}`,
    /** The bundle's stored files, one JSON line each, for the API to page through. */
    storedFiles: () => `${prefix}/stored-files.ndjson`,
  };
};
