// A mention's link is shown to people as a clickable URL: only http(s) may be stored, so a feed or an import
// cannot plant `javascript:` or `data:` links (the CSP was the only thing stopping them).

/** The URL when it is an absolute http(s) URL, else null. */
export function httpUrlOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  try {
    const url = new URL(trimmed);
    return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : null;
  } catch {
    return null;
  }
}
