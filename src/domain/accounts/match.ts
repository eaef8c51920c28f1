// Suggesting which account a public mention is about. A wrong link is a disclosure (GLBA: the link itself is
// nonpublic personal information), so this only SUGGESTS, with its evidence, and is deliberately conservative:
// a minimum score, and a name (even with a state) never suffices on its own.
import type { Platform } from "../taxonomy.js";
import { hmacIdentifier } from "./crypto.js";
import { normalizeEmail, normalizeHandle, normalizePhone, normalizeReference } from "./normalize.js";

/** An account as stored: contact identifiers only as keyed hashes, handles normalized (they are public). */
export interface AccountCandidate {
  accountId: string;
  /** hmacIdentifier(secret, "reference", normalizeReference(reference)). */
  referenceHash?: string | null;
  displayName?: string | null;
  /** Two-letter US state code. */
  state?: string | null;
  /** Normalized handles, optionally prefixed with a platform ("x:jdoe"); unprefixed ones match any platform. */
  handles: string[];
  phoneHashes: string[];
  emailHashes: string[];
}

export interface MentionForMatching {
  text: string;
  authorHandle?: string | null;
  authorName?: string | null;
  platform?: Platform | string | null;
}

export type EvidenceKind = "handle" | "phone" | "email" | "reference" | "name" | "state";

export interface LinkSuggestion {
  accountId: string;
  score: number;
  evidence: { kind: EvidenceKind; detail: string }[];
}

/** Below this no suggestion is shown: "when in doubt, no link". */
export const MIN_LINK_SCORE = 0.6;

/**
 * A suggestion scoring at least this is "strong" (a reference number alone, or a phone or e-mail together with the
 * handle); below it, confirming shows the evidence again and asks once more. Scores are shown to people out of 100.
 */
export const STRONG_LINK_SCORE = 0.85;

/** Whether a suggestion's score as people see it (0–100) is strong enough to confirm in one step. */
export function isStrongLinkScore(scoreOutOf100: number): boolean {
  return scoreOutOf100 >= Math.round(STRONG_LINK_SCORE * 100);
}

/** How strongly each piece of evidence alone points at the account; combined as independent signals. */
export const EVIDENCE_WEIGHTS: Record<EvidenceKind, number> = {
  reference: 0.85,
  phone: 0.75,
  email: 0.75,
  handle: 0.65,
  name: 0.25,
  state: 0.1,
};

// biome-ignore format: a table reads better dense
const US_STATES: Record<string, string> = {
  AL: "alabama", AK: "alaska", AZ: "arizona", AR: "arkansas", CA: "california", CO: "colorado", CT: "connecticut",
  DE: "delaware", DC: "district of columbia", FL: "florida", GA: "georgia", HI: "hawaii", ID: "idaho",
  IL: "illinois", IN: "indiana", IA: "iowa", KS: "kansas", KY: "kentucky", LA: "louisiana", ME: "maine",
  MD: "maryland", MA: "massachusetts", MI: "michigan", MN: "minnesota", MS: "mississippi", MO: "missouri",
  MT: "montana", NE: "nebraska", NV: "nevada", NH: "new hampshire", NJ: "new jersey", NM: "new mexico",
  NY: "new york", NC: "north carolina", ND: "north dakota", OH: "ohio", OK: "oklahoma", OR: "oregon",
  PA: "pennsylvania", RI: "rhode island", SC: "south carolina", SD: "south dakota", TN: "tennessee", TX: "texas",
  UT: "utah", VT: "vermont", VA: "virginia", WA: "washington", WV: "west virginia", WI: "wisconsin",
  WY: "wyoming", PR: "puerto rico",
};

export const US_STATE_CODES = Object.keys(US_STATES);

const PHONE_IN_TEXT = /(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?!\w)/g;
const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** Reference-like tokens: 5+ characters of letters/digits/dashes with at least 4 digits (account numbers, file ids). */
const REFERENCE_IN_TEXT = /(?<![\w-])#?[A-Za-z0-9][A-Za-z0-9-]{3,30}[A-Za-z0-9](?![\w-])/g;

function nameTokens(name: string): string[] {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((token) => token.length >= 2);
}

/** Masks the last digits so evidence shown to a reviewer does not itself repeat the identifier. */
function maskTail(value: string): string {
  return `••••${value.slice(-4)}`;
}

function handleMatches(
  candidateHandle: string,
  authorHandle: string,
  platform: string | null | undefined,
): boolean {
  const separator = candidateHandle.indexOf(":");
  if (separator < 0) return normalizeHandle(candidateHandle) === authorHandle;
  const handlePlatform = candidateHandle.slice(0, separator);
  if (platform && handlePlatform !== platform) return false;
  return normalizeHandle(candidateHandle.slice(separator + 1)) === authorHandle;
}

function stateMentioned(text: string, state: string): boolean {
  const code = state.toUpperCase();
  const fullName = US_STATES[code];
  if (fullName && new RegExp(`\\b${fullName}\\b`, "i").test(text)) return true;
  // The bare two-letter code must be in capitals ("IN", "OR", "ME" are also words).
  return new RegExp(`(?<![A-Za-z])${code}(?![A-Za-z])`).test(text);
}

/** Ranked account suggestions for a mention; empty when nothing clears MIN_LINK_SCORE. */
export function suggestLinks(
  mention: MentionForMatching,
  candidates: AccountCandidate[],
  secret: string,
): LinkSuggestion[] {
  const phones = new Map<string, string>();
  for (const match of mention.text.matchAll(PHONE_IN_TEXT)) {
    const phone = normalizePhone(match[0]);
    if (phone) phones.set(hmacIdentifier(secret, "phone", phone), phone);
  }
  const emails = new Map<string, string>();
  for (const match of mention.text.matchAll(EMAIL_IN_TEXT)) {
    const email = normalizeEmail(match[0]);
    if (email) emails.set(hmacIdentifier(secret, "email", email), email);
  }
  const references = new Map<string, string>();
  for (const match of mention.text.matchAll(REFERENCE_IN_TEXT)) {
    const reference = normalizeReference(match[0]);
    if ((reference.match(/\d/g)?.length ?? 0) >= 4)
      references.set(hmacIdentifier(secret, "reference", reference), reference);
  }
  const authorHandle = mention.authorHandle ? normalizeHandle(mention.authorHandle) : null;
  const authorNameTokens = new Set(nameTokens(mention.authorName ?? ""));
  const textTokens = new Set(nameTokens(mention.text));

  const suggestions: LinkSuggestion[] = [];
  for (const candidate of candidates) {
    const evidence: LinkSuggestion["evidence"] = [];
    if (
      authorHandle &&
      candidate.handles.some((handle) => handleMatches(handle, authorHandle, mention.platform))
    ) {
      evidence.push({ kind: "handle", detail: `author handle @${authorHandle} is on the account` });
    }
    for (const hash of candidate.phoneHashes) {
      const phone = phones.get(hash);
      if (phone)
        evidence.push({
          kind: "phone",
          detail: `phone ending ${phone.slice(-4)} in the post is on the account`,
        });
    }
    for (const hash of candidate.emailHashes) {
      const email = emails.get(hash);
      if (email)
        evidence.push({
          kind: "email",
          detail: `e-mail ${email[0]}…@${email.split("@")[1]} in the post is on the account`,
        });
    }
    if (candidate.referenceHash) {
      const reference = references.get(candidate.referenceHash);
      if (reference)
        evidence.push({ kind: "reference", detail: `reference ${maskTail(reference)} appears in the post` });
    }
    const candidateName = nameTokens(candidate.displayName ?? "");
    if (candidateName.length >= 2) {
      const inAuthor = candidateName.every((token) => authorNameTokens.has(token));
      const inText = candidateName.every((token) => textTokens.has(token));
      if (inAuthor || inText) {
        evidence.push({
          kind: "name",
          detail: `full name matches the ${inAuthor ? "author's display name" : "post"}`,
        });
        // A state only corroborates a name; alone it says nothing about who someone is.
        if (
          candidate.state &&
          stateMentioned(`${mention.text} ${mention.authorName ?? ""}`, candidate.state)
        ) {
          evidence.push({ kind: "state", detail: `state ${candidate.state.toUpperCase()} is mentioned` });
        }
      }
    }
    const kinds = new Set(evidence.map((item) => item.kind));
    const miss = [...kinds].reduce((product, kind) => product * (1 - EVIDENCE_WEIGHTS[kind]), 1);
    const score = Math.round((1 - miss) * 1000) / 1000;
    if (score >= MIN_LINK_SCORE) suggestions.push({ accountId: candidate.accountId, score, evidence });
  }
  return suggestions.sort((a, b) => b.score - a.score || a.accountId.localeCompare(b.accountId));
}
