import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, type Options, parse } from 'csv-parse';
import { DomainError } from '#domain/errors';
import type { RecordFailure } from './import-item.ts';
import type { FileFormat, SourceEntity } from './migration.ts';

/**
 * The longest line (NDJSON, in characters: a longer one fails that line) or record (CSV, in bytes of its
 * cells: a longer one fails the file, as where the next record starts cannot be known).
 */
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

/** How many line feeds `text` holds. */
function lineFeedsIn(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}

/**
 * The text of a UTF-8 byte stream, piece by piece as the bytes arrive. Bytes that are not UTF-8 fail
 * the file, naming their line: decoding them into replacement characters would import corrupted text.
 */
async function* textOf(entity: SourceEntity, bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  const decode = (chunk?: Uint8Array) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      const at = line + (chunk ? firstBadLine(chunk) : 0);
      throw new MalformedFileError(entity, at, `The file is not UTF-8 text (line ${at}).`);
    }
  };
  for await (const chunk of bytes) {
    const text = decode(chunk);
    line += lineFeedsIn(text);
    if (text !== '') yield text;
  }
  const rest = decode();
  if (rest !== '') yield rest;
}

/** The lines of a UTF-8 byte stream, in bounded memory (one line at a time). */
async function* linesOf(entity: SourceEntity, bytes: AsyncIterable<Uint8Array>): AsyncGenerator<SourceLine> {
  let partial = '';
  let oversize = false;
  let line = 1;
  const take = (text: string) => {
    if (oversize) return;
    if (partial.length + text.length > maxRecordChars) {
      oversize = true;
      partial = '';
    } else partial += text;
  };
  for await (const text of textOf(entity, bytes)) {
    const pieces = text.split('\n');
    for (let i = 0; i < pieces.length - 1; i++) {
      take(pieces[i] as string);
      yield { line, text: oversize ? undefined : partial.replace(/\r$/, ''), terminated: true };
      line += 1;
      partial = '';
      oversize = false;
    }
    take(pieces[pieces.length - 1] as string);
  }
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

/** A CSV record's cells and the line it starts on. */
interface CsvRow {
  readonly line: number;
  readonly cells: string[];
}

/** The cells of a CSV record as the file gave them: a line break inside a quoted cell is a line feed. */
const cellText = (cell: string) => (cell.includes('\r\n') ? cell.replaceAll('\r\n', '\n') : cell);

/**
 * The file-level fault a csv-parse error stands for, at the record starting on `line`. Only the error's
 * code is used: csv-parse's messages quote cell values, which may be personal data.
 */
function csvFault(entity: SourceEntity, line: number, error: unknown): unknown {
  if (error instanceof MalformedFileError || !(error instanceof CsvError)) return error;
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new MalformedFileError(
      entity,
      line,
      `The file is truncated: a quoted cell opened on line ${line} never closes.`,
    );
  }
  if (error.code === 'CSV_MAX_RECORD_SIZE') {
    return new MalformedFileError(
      entity,
      line,
      `The record starting on line ${line} is longer than ${maxRecordChars} bytes (a quote that never closes?); where the next record starts cannot be known.`,
    );
  }
  return new MalformedFileError(entity, line, `The file is not CSV from line ${line} on (${error.code}).`);
}

/**
 * CSV (RFC 4180) with a header row naming the columns; a quoted cell may span lines; empty cells are
 * absent. Parsed by csv-parse as the bytes stream in, so memory holds one record whatever the file's
 * size, and time is linear in it. Stray quotes inside a cell are kept as text; a row of the wrong width
 * fails alone; a record over `maxRecordChars` bytes, or a quote open at the end, fails the file.
 */
async function* csvRecords(
  entity: SourceEntity,
  bytes: AsyncIterable<Uint8Array>,
): AsyncGenerator<SourceRecord> {
  /** The line the record csv-parse reads next starts on (records are counted as they are parsed). */
  let line = 1;
  const options: Options<CsvRow, string[]> = {
    record_delimiter: ['\r\n', '\n'],
    relax_quotes: true,
    relax_column_count: true,
    max_record_size: maxRecordChars,
    on_record: (raw) => {
      const cells = raw.map(cellText);
      const row = { line, cells };
      line += 1 + cells.reduce((feeds, cell) => feeds + lineFeedsIn(cell), 0);
      return row;
    },
  };
  // csv-parse's overloads type `on_record` as returning the record's own shape.
  const parser = parse(options as unknown as Options);
  // Errors reach the loop below through the parser (pipeline destroys it with them).
  pipeline(Readable.from(textOf(entity, bytes)), parser).catch(() => undefined);
  let header: string[] | undefined;
  try {
    for await (const record of parser as AsyncIterable<CsvRow>) {
      const { cells } = record;
      if (cells.length === 1 && (cells[0] as string).trim() === '') continue;
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
  } catch (error) {
    throw csvFault(entity, line, error);
  } finally {
    parser.destroy();
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
