// Text normalisation shared by ingest: markup stripping for feeds and the content key for near-duplicates.

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

const BREAK_TAG = /^<(?:br\s*\/?|\/(?:p|div|li|h\d))>$/i;
const ENTITY = /&(#x[0-9a-f]{1,8}|#\d{1,8}|[a-z]{1,32});/gi;

/** Drops <script> and <style> elements with their content; an unclosed one runs to the end of the text. */
function dropScripts(html: string): string {
  const lower = html.toLowerCase();
  let out = "";
  let from = 0;
  for (;;) {
    const script = lower.indexOf("<script", from);
    const style = lower.indexOf("<style", from);
    const open = script < 0 ? style : style < 0 ? script : Math.min(script, style);
    if (open < 0) break;
    const close = lower.indexOf(open === script ? "</script>" : "</style>", open);
    out += `${html.slice(from, open)} `;
    if (close < 0) return out;
    from = close + (open === script ? 9 : 8);
  }
  return out + html.slice(from);
}

/** Removes tags; line-breaking ones become a newline. A "<" with no ">" after it is text, as a browser shows it. */
function dropTags(html: string): string {
  let out = "";
  let from = 0;
  for (;;) {
    const open = html.indexOf("<", from);
    if (open < 0) break;
    const close = html.indexOf(">", open + 1);
    if (close < 0) break;
    out += html.slice(from, open) + (BREAK_TAG.test(html.slice(open, close + 1)) ? "\n" : "");
    from = close + 1;
  }
  return out + html.slice(from);
}

/**
 * Turns HTML (feed titles and bodies) into plain text: tags dropped, entities decoded, whitespace collapsed.
 * Feed items are written by strangers and can be megabytes long: every step is a single pass (indexOf scans and
 * bounded patterns), never a pattern that retries from each "<" to the end of the text.
 */
export function stripMarkup(html: string): string {
  const decoded = dropTags(dropScripts(html)).replace(ENTITY, (whole, entity: string) => {
    if (entity[0] === "#") {
      const code =
        entity[1] === "x" || entity[1] === "X"
          ? Number.parseInt(entity.slice(2), 16)
          : Number(entity.slice(1));
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[entity.toLowerCase()] ?? whole;
  });
  return decoded
    .replace(/\u00a0/g, " ")
    .replace(/[ \t\f\v]+/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .join("\n");
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
