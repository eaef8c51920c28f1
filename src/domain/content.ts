// Text normalisation shared by ingest: markup stripping for feeds and the content key for near-duplicates.

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Turns HTML (feed titles and bodies) into plain text: tags dropped, entities decoded, whitespace collapsed. */
export function stripMarkup(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<br\s*\/?>|<\/(p|div|li|h\d)>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
      if (entity[0] === "#") {
        const code =
          entity[1] === "x" || entity[1] === "X"
            ? Number.parseInt(entity.slice(2), 16)
            : Number(entity.slice(1));
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[entity.toLowerCase()] ?? whole;
    })
    .replace(/\u00a0/g, " ")
    .replace(/[ \t\f\v]+/g, " ")
    .replace(/\s*\n\s*/g, "\n")
    .trim();
}

/**
 * The text a retweet, quote or cross-post shares with its original: no "RT @x:", no links, handles,
 * hashtag marks, punctuation or case.
 */
export function contentKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/^rt\s+@\w+:?\s*/, "")
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/[@#](\w+)/g, "$1")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
