// CSV for people's spreadsheets (rights events, the audit log): written by csv-stringify, with one addition of
// ours. A cell that starts with = + - @ (or a tab or carriage return) would run as a formula when the file is
// opened; mention text and names come from strangers, so such a cell is prefixed with an apostrophe.
import { stringify } from "csv-stringify/sync";

export type CsvValue = unknown;

const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  const text =
    typeof value === "string"
      ? value
      : value instanceof Date
        ? value.toISOString()
        : typeof value === "object"
          ? JSON.stringify(value)
          : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A header row and the rows, CRLF line ends (RFC 4180), every cell neutralised against formula injection. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return stringify([[...header], ...rows.map((row) => row.map(cell))], { record_delimiter: "windows" });
}
