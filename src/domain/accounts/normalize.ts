// Canonical forms for contact identifiers. Matching compares keyed hashes of these forms, so two spellings of
// the same phone or e-mail must normalize to exactly the same string or a real match is silently missed.

/** US-centric E.164: 10 digits get +1, 11 digits starting with 1 get +; other lengths of 8–15 digits keep a +. */
export function normalizePhone(raw: string): string | null {
  const digits = raw.replace(/\D/g, "");
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith("1")) return `+${digits}`;
  if (raw.trim().startsWith("+") && digits.length >= 8 && digits.length <= 15) return `+${digits}`;
  return null;
}

export function normalizeEmail(raw: string): string | null {
  const email = raw
    .trim()
    .toLowerCase()
    .replace(/^mailto:/, "");
  if (!/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/.test(email)) return null;
  return email;
}

/** Handles compare without the @, case-insensitively (every platform we watch treats them so). */
export function normalizeHandle(raw: string): string | null {
  const handle = raw
    .trim()
    .replace(/^https?:\/\/(www\.)?[^/]+\//i, "")
    .replace(/^u\//i, "")
    .replace(/^@/, "")
    .toLowerCase();
  if (!/^[a-z0-9_.-]{1,64}$/.test(handle)) return null;
  return handle;
}

/** Lowercase host+path without scheme, "www." or trailing slash, so "https://www.x.com/a/" equals "x.com/a". */
export function normalizeUrl(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/^www\./, "")
    .replace(/[/?#]+$/, "");
}

export function urlHost(normalizedUrl: string): string {
  return normalizedUrl.split(/[/?#]/)[0] ?? normalizedUrl;
}

/** Reference numbers compare without separators or case: "AB-1234 5" equals "ab12345". */
export function normalizeReference(raw: string): string {
  return raw.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export type ContactKind = "phone" | "email" | "url" | "handle";

/** Classifies one of the brand's own contact channels as typed by an operator. */
export function classifyContact(raw: string): { kind: ContactKind; value: string } | null {
  const trimmed = raw.trim();
  if (!trimmed) return null;
  if (trimmed.startsWith("@")) {
    const handle = normalizeHandle(trimmed);
    return handle ? { kind: "handle", value: handle } : null;
  }
  const email = normalizeEmail(trimmed);
  if (email) return { kind: "email", value: email };
  if (/^[+()\d\s.-]+$/.test(trimmed)) {
    const phone = normalizePhone(trimmed);
    return phone ? { kind: "phone", value: phone } : null;
  }
  if (/^(https?:\/\/)?[\w-]+(\.[\w-]+)+/i.test(trimmed)) return { kind: "url", value: normalizeUrl(trimmed) };
  const handle = normalizeHandle(trimmed);
  return handle ? { kind: "handle", value: handle } : null;
}
