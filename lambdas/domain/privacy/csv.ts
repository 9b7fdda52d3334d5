/**
 * One CSV row (RFC 4180, CRLF). Nested values are written as JSON; a text that a spreadsheet would run
 * as a formula (starting with =, +, -, @, tab or CR) is prefixed with an apostrophe.
 */
export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
