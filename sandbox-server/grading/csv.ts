import type { GradeRow } from './gradebook.ts';

/** The gradebook CSV columns, in order. */
export const CSV_COLUMNS = ['student', 'exercise', 'score', 'max_score', 'status', 'graded_at', 'graded'] as const;

/** One RFC 4180 field: quoted when it holds a comma, quote, CR, LF or edge whitespace; quotes doubled. */
export function csvField(value: string | number | boolean | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The gradebook as RFC 4180 CSV (CRLF line ends, header first); empty fields for ungraded scores. */
export function gradebookCsv(rows: readonly GradeRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) lines.push(CSV_COLUMNS.map((c) => csvField(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
