// What several rules need to know about a reply, read once: its folded text and tokens, where the brand's own
// name and channels are (words inside them are never hits, so "Acme Collections" may sign a reply although
// "collections" alone would confirm a debt), and every contact-like stretch (e-mail, link, phone, handle, SSN,
// street address) with its verdict. The rule checkers in lint.ts turn these into hits.

import {
  classifyContact,
  normalizeEmail,
  normalizeHandle,
  normalizePhone,
  normalizeUrl,
  urlHost,
} from "../accounts/normalize.js";
import { findEmails } from "../masking.js";
import { URL_PATTERN } from "./length.js";
import { foldCase, type Span, type Token, tokenize } from "./text.js";

export interface ScanContext {
  brandName: string;
  ownContacts: string[];
  posterUsedNames?: string[];
}

export type ContactKind = "email" | "url" | "phone" | "handle" | "ssn" | "address";

/**
 * `own`: one of the brand's channels; `poster`: the poster's own handle; `foreign`: someone else's; for links,
 * `payment` (a pay/checkout page), `account` (an account-specific link) or `outside` (another site).
 */
export type ContactVerdict = "own" | "poster" | "foreign" | "payment" | "account" | "outside";

export interface ContactFinding {
  kind: ContactKind;
  verdict: ContactVerdict;
  span: Span;
}

export interface ReplyScan {
  text: string;
  folded: string;
  tokens: Token[];
  /** Words of the names and handles the poster used themselves (folded, without "@"). */
  posterNames: Set<string>;
  /** The brand's name and its own channels as they appear in the reply. */
  protectedSpans: Span[];
  brandPresent: boolean;
  ownChannelPresent: boolean;
  /** In the order found: e-mails, links, phones, handles, SSNs, addresses (each kind skips what an earlier took). */
  contacts: ContactFinding[];
  contactSpans: Span[];
}

const PHONE_PATTERN =
  /(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?:,?\s*(?:ext\.?|x|extension)\s*\d{1,5})?(?![\w])/g;
const PHONE_EXTENSION = /,?\s*(?:ext\.?|x|extension)\s*\d{1,5}$/;
const HANDLE_PATTERN = /(?<![\w@])@[a-z0-9_]{2,30}(?![\w@]|\.[a-z])/g;
const SSN_PATTERN = /(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)/g;
const ADDRESS_PATTERN =
  /(?<![\w])\d{1,6}\s+(?:[a-z0-9.]+\s+){1,3}(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|circle|cir|highway|hwy|parkway|pkwy)(?![a-z])/g;
const LEGAL_SUFFIX =
  /[\s,]+(?:inc|incorporated|llc|l\.l\.c|ltd|limited|corp|corporation|co|company|n\.a|na|plc|lp|llp|pllc|group|holdings|bank|financial|finance|services)\.?$/i;

export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}
export function within(inner: Span, outer: Span): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

export function snippet(text: string, span: Span): string {
  const raw = text.slice(span.start, span.end).replace(/\s+/g, " ");
  return raw.length > 60 ? `${raw.slice(0, 57)}…` : raw;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Matches a name in any case with any spacing or punctuation between its words ("Mercy  Hospital's"). */
function nameRegExp(name: string): RegExp | null {
  const words = foldCase(name)
    .split(/[^a-z0-9&]+/)
    .filter(Boolean);
  if (words.length === 0 || words.join("").length < 3) return null;
  return new RegExp(`(?<![a-z0-9])${words.map(escapeRegExp).join("[^a-z0-9]{1,3}")}(?![a-z0-9])`, "g");
}

function nameVariants(name: string): string[] {
  const variants = new Set<string>([name.trim()]);
  let stripped = name.trim();
  while (LEGAL_SUFFIX.test(stripped)) stripped = stripped.replace(LEGAL_SUFFIX, "").trim();
  // A stripped variant must stay distinctive: "Example Co." may match as "Example", never as "".
  if (stripped.replace(/[^a-z0-9]/gi, "").length >= 4) variants.add(stripped);
  return [...variants];
}

/** Where a company name appears in the folded text, with or without its legal suffix. */
export function findName(folded: string, name: string): Span[] {
  const spans: Span[] = [];
  for (const variant of nameVariants(name)) {
    const regex = nameRegExp(variant);
    if (!regex) continue;
    for (const match of folded.matchAll(regex))
      spans.push({ start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

interface OwnChannels {
  phones: Set<string>;
  emails: Set<string>;
  urls: Set<string>;
  hosts: Set<string>;
  handles: Set<string>;
}

function ownChannels(ownContacts: string[]): OwnChannels {
  const own: OwnChannels = {
    phones: new Set(),
    emails: new Set(),
    urls: new Set(),
    hosts: new Set(),
    handles: new Set(),
  };
  for (const raw of ownContacts) {
    const contact = classifyContact(raw);
    if (!contact) continue;
    if (contact.kind === "phone") own.phones.add(contact.value);
    if (contact.kind === "email") {
      own.emails.add(contact.value);
      own.hosts.add(contact.value.split("@")[1] ?? "");
    }
    if (contact.kind === "url") {
      own.urls.add(contact.value);
      own.hosts.add(urlHost(contact.value));
    }
    if (contact.kind === "handle") own.handles.add(contact.value);
  }
  return own;
}

function urlVerdict(raw: string, own: OwnChannels): ContactVerdict {
  const url = normalizeUrl(raw);
  const host = urlHost(url);
  const path = url.slice(host.length);
  if (/pay|checkout|billing|invoice|settle/.test(path)) return "payment";
  if (/\d{3,}|[?&](?:id|acct|account|ref|token|case)=|account|acct|\/ref\b|token/.test(path))
    return "account";
  if (own.urls.has(url) || own.hosts.has(host)) return "own";
  return "outside";
}

export function scanReply(text: string, ctx: ScanContext): ReplyScan {
  const folded = foldCase(text);
  const own = ownChannels(ctx.ownContacts);
  const posterNames = new Set(
    (ctx.posterUsedNames ?? [])
      .flatMap((name) => foldCase(name).replace(/^@/, "").split(/\s+/))
      .filter(Boolean),
  );
  const protectedSpans: Span[] = findName(folded, ctx.brandName);
  const brandPresent = protectedSpans.length > 0;
  const contacts: ContactFinding[] = [];
  const contactSpans: Span[] = [];
  const found = (kind: ContactKind, verdict: ContactVerdict, span: Span) => {
    contacts.push({ kind, verdict, span });
    contactSpans.push(span);
    if (verdict === "own") protectedSpans.push(span);
  };
  const taken = (span: Span) => contactSpans.some((other) => overlaps(other, span));

  // Found from each "@" outwards (src/domain/masking.ts): a pattern scanning from every letter is quadratic.
  for (const { start, end } of findEmails(folded)) {
    const span = { start, end };
    const email = normalizeEmail(folded.slice(start, end));
    found("email", email && own.emails.has(email) ? "own" : "foreign", span);
  }
  for (const match of folded.matchAll(URL_PATTERN)) {
    const raw = match[0].replace(/[.,!?;:]+$/, "");
    const span = { start: match.index, end: match.index + raw.length };
    if (!taken(span)) found("url", urlVerdict(raw, own), span);
  }
  for (const match of folded.matchAll(PHONE_PATTERN)) {
    const span = { start: match.index, end: match.index + match[0].length };
    if (taken(span)) continue;
    const phone = normalizePhone(match[0].replace(PHONE_EXTENSION, ""));
    found("phone", phone && own.phones.has(phone) ? "own" : "foreign", span);
  }
  for (const match of folded.matchAll(HANDLE_PATTERN)) {
    const span = { start: match.index, end: match.index + match[0].length };
    if (taken(span)) continue;
    const handle = normalizeHandle(match[0]) ?? "";
    found("handle", own.handles.has(handle) ? "own" : posterNames.has(handle) ? "poster" : "foreign", span);
  }
  // SSNs and addresses are always someone's personal data, whatever else overlaps them.
  for (const match of folded.matchAll(SSN_PATTERN)) {
    found("ssn", "foreign", { start: match.index, end: match.index + match[0].length });
  }
  for (const match of folded.matchAll(ADDRESS_PATTERN)) {
    found("address", "foreign", { start: match.index, end: match.index + match[0].length });
  }

  return {
    text,
    folded,
    tokens: tokenize(text),
    posterNames,
    protectedSpans,
    brandPresent,
    ownChannelPresent: contacts.some((c) => c.verdict === "own"),
    contacts,
    contactSpans,
  };
}
