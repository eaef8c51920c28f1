// Account rows from the collections system (CSV import and the push API share the row schema). Pure: text in,
// validated rows and line-numbered errors out; hashing and storage happen at the edge (see toStoredAccount).
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { hmacIdentifier } from "./crypto.js";
import { US_STATE_CODES } from "./match.js";
import { normalizeEmail, normalizeHandle, normalizePhone, normalizeReference } from "./normalize.js";
import { ACCOUNT_STATUSES, type AccountStatus } from "./rights.js";

/** Header spellings we accept for each field (lowercased, spaces and dashes as underscores). */
const HEADER_ALIASES: Record<string, string> = {
  reference: "reference",
  ref: "reference",
  account_reference: "reference",
  account_ref: "reference",
  reference_number: "reference",
  display_name: "displayName",
  name: "displayName",
  full_name: "displayName",
  phones: "phones",
  phone: "phones",
  phone_numbers: "phones",
  emails: "emails",
  email: "emails",
  email_addresses: "emails",
  handles: "handles",
  handle: "handles",
  social_handles: "handles",
  social: "handles",
  client: "client",
  creditor: "client",
  state: "state",
  status: "status",
  statuses: "status",
  dispute_open: "dispute_open",
  cease_contact: "cease_contact",
  attorney_represented: "attorney_represented",
};

const LIST_SEPARATOR = /[;|]/;
const TRUE_VALUES = new Set(["1", "true", "yes", "y", "x"]);
const FALSE_VALUES = new Set(["", "0", "false", "no", "n"]);

/** A CSV cell ("a; b") or, from the push API, an array. */
function list(value: unknown): string[] {
  const items = Array.isArray(value)
    ? value.map(String)
    : typeof value === "string"
      ? value.split(LIST_SEPARATOR)
      : [];
  return items.map((item) => item.trim()).filter(Boolean);
}

/** One account row, normalized; contact identifiers still in clear (hash them before storing). */
export const accountRowSchema = z.object({
  reference: z
    .string()
    .trim()
    .min(1, "reference is required")
    .max(64, "reference is longer than 64 characters"),
  displayName: z.string().trim().max(200).nullable(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  handles: z.array(z.string()),
  client: z.string().trim().max(200).nullable(),
  state: z
    .string()
    .trim()
    .toUpperCase()
    .refine((code) => US_STATE_CODES.includes(code), "state must be a two-letter US state code")
    .nullable(),
  status: z.array(z.enum(ACCOUNT_STATUSES)),
});
export type AccountRow = z.infer<typeof accountRowSchema>;

export interface ImportError {
  /** 1-based line in the file (the line where the record ends); 0 when the file as a whole is wrong. */
  line: number;
  field?: string;
  message: string;
}

export interface AccountImportResult {
  rows: (AccountRow & { line: number })[];
  errors: ImportError[];
}

function canonicalHeader(header: string): string {
  const key = header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  return HEADER_ALIASES[key] ?? key;
}

/** Normalizes one raw record (header → value), collecting every problem instead of stopping at the first. */
export function normalizeAccountRecord(
  record: Record<string, unknown>,
  line: number,
): { row?: AccountRow; errors: ImportError[] } {
  const errors: ImportError[] = [];
  const phones: string[] = [];
  for (const raw of list(record.phones)) {
    const phone = normalizePhone(raw);
    if (phone) phones.push(phone);
    else errors.push({ line, field: "phones", message: `"${raw}" is not a phone number` });
  }
  const emails: string[] = [];
  for (const raw of list(record.emails)) {
    const email = normalizeEmail(raw);
    if (email) emails.push(email);
    else errors.push({ line, field: "emails", message: `"${raw}" is not an e-mail address` });
  }
  const handles: string[] = [];
  for (const raw of list(record.handles)) {
    // "x:@jdoe" keeps the platform; a bare handle matches on any platform.
    const separator = raw.indexOf(":");
    const platform =
      separator > 0 && !raw.startsWith("http") ? raw.slice(0, separator).trim().toLowerCase() : null;
    const handle = normalizeHandle(platform ? raw.slice(separator + 1) : raw);
    if (handle) handles.push(platform ? `${platform}:${handle}` : handle);
    else errors.push({ line, field: "handles", message: `"${raw}" is not a social handle` });
  }
  const status = new Set<string>();
  for (const raw of list(
    typeof record.status === "string" ? record.status.replace(/,/g, ";") : record.status,
  )) {
    status.add(raw.toLowerCase().replace(/[\s-]+/g, "_"));
  }
  for (const flag of ACCOUNT_STATUSES) {
    const value = record[flag];
    if (typeof value !== "string") continue;
    const normalized = value.trim().toLowerCase();
    if (TRUE_VALUES.has(normalized)) status.add(flag);
    else if (!FALSE_VALUES.has(normalized))
      errors.push({ line, field: flag, message: `"${value}" is not yes/no (use 1/0, true/false or yes/no)` });
  }
  const emptyToNull = (value: unknown) => (typeof value === "string" && value.trim() ? value : null);
  const parsed = accountRowSchema.safeParse({
    reference: typeof record.reference === "string" ? record.reference : "",
    displayName: emptyToNull(record.displayName),
    phones,
    emails,
    handles,
    client: emptyToNull(record.client),
    state: emptyToNull(record.state),
    status: [...status],
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "");
      const message =
        field === "status" ? `unknown status; expected any of ${ACCOUNT_STATUSES.join(", ")}` : issue.message;
      errors.push({ line, field, message });
    }
  }
  return errors.length === 0 && parsed.success ? { row: parsed.data, errors } : { errors };
}

/**
 * Parses an account CSV. Columns (any order, aliases accepted): reference, display_name, phones, emails,
 * handles, client, state, status — lists separated by ";" or "|"; status lists any of dispute_open,
 * cease_contact, attorney_represented (or give each as its own yes/no column).
 */
export function parseAccountsCsv(text: string): AccountImportResult {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map(canonicalHeader),
      info: true,
      skip_empty_lines: true,
      bom: true,
      trim: true,
    }) as { record: Record<string, string>; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    return { rows: [], errors: [{ line, message: `not valid CSV: ${(error as Error).message}` }] };
  }
  const firstLine = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  const headers = new Set(firstLine.split(",").map((header) => canonicalHeader(header.replace(/"/g, ""))));
  if (!headers.has("reference")) {
    return {
      rows: [],
      errors: [{ line: 1, field: "reference", message: "the header has no reference column" }],
    };
  }

  const rows: AccountImportResult["rows"] = [];
  const errors: ImportError[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of records) {
    const result = normalizeAccountRecord(record, info.lines);
    errors.push(...result.errors);
    if (!result.row) continue;
    const key = normalizeReference(result.row.reference);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      errors.push({
        line: info.lines,
        field: "reference",
        message: `duplicate reference (first on line ${earlier})`,
      });
      continue;
    }
    seen.set(key, info.lines);
    rows.push({ ...result.row, line: info.lines });
  }
  return { rows, errors };
}

/** What may be stored: phones and e-mails only as keyed hashes, never in clear. */
export interface StoredAccountIdentifiers {
  reference: string;
  referenceHash: string;
  displayName: string | null;
  client: string | null;
  state: string | null;
  status: AccountStatus[];
  handles: string[];
  phoneHashes: string[];
  emailHashes: string[];
}

export function toStoredAccount(row: AccountRow, secret: string): StoredAccountIdentifiers {
  return {
    reference: row.reference,
    referenceHash: hmacIdentifier(secret, "reference", normalizeReference(row.reference)),
    displayName: row.displayName,
    client: row.client,
    state: row.state,
    status: row.status,
    handles: row.handles,
    phoneHashes: row.phones.map((phone) => hmacIdentifier(secret, "phone", phone)),
    emailHashes: row.emails.map((email) => hmacIdentifier(secret, "email", email)),
  };
}
