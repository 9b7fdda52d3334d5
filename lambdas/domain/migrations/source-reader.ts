import { DomainError } from '#domain/errors';
import type { RecordFailure } from './import-item.ts';
import type { FileFormat, SourceEntity } from './migration.ts';

/** The longest line (NDJSON) or record (CSV) read, in characters: a longer one fails that record. */
export const maxRecordChars = 1024 * 1024;

/** A file that cannot be read as its format at all: the migration fails, naming the file and line. */
export class MalformedFileError extends DomainError {
  constructor(
    readonly entity: SourceEntity,
    readonly line: number | null,
    reason: string,
  ) {
    super(reason, 'malformed_file');
    this.name = 'MalformedFile';
  }
}

interface SourceLine {
  readonly line: number;
  /** Undefined when the line was longer than `maxRecordChars` (its text is not kept). */
  readonly text: string | undefined;
  /** False for a last line without its newline. */
  readonly terminated: boolean;
}

/** Which line of a chunk (0 its first) holds bytes that are not UTF-8; a newline byte is never inside a character. */
function firstBadLine(chunk: Uint8Array): number {
  let start = 0;
  for (let index = 0; start <= chunk.length; index++) {
    const end = chunk.indexOf(0x0a, start);
    const piece = chunk.subarray(start, end < 0 ? chunk.length : end);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(piece);
    } catch {
      return index;
    }
    if (end < 0) break;
    start = end + 1;
  }
  return 0;
}

/**
 * The lines of a UTF-8 byte stream, in bounded memory (one line at a time). Bytes that are not UTF-8
 * fail the file: decoding them into replacement characters would import corrupted text.
 */
async function* linesOf(entity: SourceEntity, bytes: AsyncIterable<Uint8Array>): AsyncGenerator<SourceLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let partial = '';
  let oversize = false;
  let line = 1;
  const decode = (chunk?: Uint8Array) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      const at = line + (chunk ? firstBadLine(chunk) : 0);
      throw new MalformedFileError(entity, at, `The file is not UTF-8 text (line ${at}).`);
    }
  };
  const take = (text: string) => {
    if (oversize) return;
    if (partial.length + text.length > maxRecordChars) {
      oversize = true;
      partial = '';
    } else partial += text;
  };
  for await (const chunk of bytes) {
    const pieces = decode(chunk).split('\n');
    for (let i = 0; i < pieces.length - 1; i++) {
      take(pieces[i] as string);
      yield { line, text: oversize ? undefined : partial.replace(/\r$/, ''), terminated: true };
      line += 1;
      partial = '';
      oversize = false;
    }
    take(pieces[pieces.length - 1] as string);
  }
  take(decode());
  if (partial !== '' || oversize) yield { line, text: oversize ? undefined : partial, terminated: false };
}

export type SourceRecord =
  | { readonly line: number; readonly value: Record<string, unknown> }
  | { readonly line: number; readonly failure: Omit<RecordFailure, 'entity' | 'line'> };

const tooLong = {
  source_id: null,
  field: null,
  reason: `The record is longer than ${maxRecordChars} characters.`,
};

/** NDJSON: one JSON object per line; blank lines are skipped. */
async function* ndjsonRecords(
  entity: SourceEntity,
  bytes: AsyncIterable<Uint8Array>,
): AsyncGenerator<SourceRecord> {
  let objects = 0;
  let failures = 0;
  for await (const { line, text, terminated } of linesOf(entity, bytes)) {
    if (text === undefined) {
      failures += 1;
      yield { line, failure: tooLong };
      continue;
    }
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (!terminated) {
        throw new MalformedFileError(
          entity,
          line,
          `The file is truncated: its last line (${line}) is incomplete.`,
        );
      }
      failures += 1;
      yield { line, failure: { source_id: null, field: null, reason: 'The line is not valid JSON.' } };
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      failures += 1;
      yield { line, failure: { source_id: null, field: null, reason: 'The line is not a JSON object.' } };
      continue;
    }
    objects += 1;
    yield { line, value: value as Record<string, unknown> };
  }
  if (objects === 0 && failures > 0) {
    throw new MalformedFileError(entity, 1, 'The file is not NDJSON: no line holds a JSON object.');
  }
}

/** Splits one CSV record into cells (RFC 4180); answers undefined while a quoted cell is still open. */
function csvCells(text: string): string[] | undefined {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  if (quoted) return undefined;
  cells.push(cell);
  return cells;
}

/** CSV with a header row naming the columns; a quoted cell may span lines; empty cells are absent. */
async function* csvRecords(
  entity: SourceEntity,
  bytes: AsyncIterable<Uint8Array>,
): AsyncGenerator<SourceRecord> {
  let header: string[] | undefined;
  let pending: { line: number; text: string } | undefined;
  let skipping = false;
  for await (const { line, text, terminated } of linesOf(entity, bytes)) {
    if (text === undefined || (pending && pending.text.length + text.length > maxRecordChars)) {
      // An oversize record: fail it, and skip on to where the next record may start.
      yield { line: pending?.line ?? line, failure: tooLong };
      pending = undefined;
      skipping = true;
      continue;
    }
    if (skipping) {
      skipping = false;
      if (csvCells(text) === undefined) continue;
    }
    const record = pending ? { line: pending.line, text: `${pending.text}\n${text}` } : { line, text };
    const cells = csvCells(record.text);
    if (cells === undefined) {
      if (!terminated) {
        throw new MalformedFileError(
          entity,
          record.line,
          `The file is truncated: a quoted cell opened on line ${record.line} never closes.`,
        );
      }
      pending = record;
      continue;
    }
    pending = undefined;
    if (record.text.trim() === '') continue;
    if (!header) {
      header = cells.map((name) => name.trim());
      continue;
    }
    if (cells.length !== header.length) {
      yield {
        line: record.line,
        failure: {
          source_id: null,
          field: null,
          reason: `The row has ${cells.length} cells; the header names ${header.length} columns.`,
        },
      };
      continue;
    }
    const value: Record<string, unknown> = {};
    header.forEach((name, index) => {
      if (cells[index] !== '') value[name] = cells[index];
    });
    yield { line: record.line, value };
  }
  if (pending) {
    throw new MalformedFileError(
      entity,
      pending.line,
      `The file is truncated: a quoted cell opened on line ${pending.line} never closes.`,
    );
  }
}

/** The records of an uploaded file, streamed; file-level faults throw MalformedFileError. */
export function sourceRecords(
  entity: SourceEntity,
  format: FileFormat,
  bytes: AsyncIterable<Uint8Array>,
): AsyncGenerator<SourceRecord> {
  return format === 'csv' ? csvRecords(entity, bytes) : ndjsonRecords(entity, bytes);
}
