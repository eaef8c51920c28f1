// How long a reply is as its platform counts it, and where it starts to overflow (R_LENGTH).
import type { Platform } from "../taxonomy.js";
import { PLATFORM_LIMITS } from "./rules.js";
import { foldCase } from "./text.js";

export const URL_PATTERN =
  /(?<![\w@.])(?:https?:\/\/)?(?:www\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.(?:com|net|org|co|us|io|info|biz|gov|edu|ly|me|app|help|support|care|pay|link|site|online|[a-z]{2})(?![a-z0-9-])(?:[/?#][^\s)"'<>]*)?/g;

/** X counts every link as 23 characters and CJK/emoji as 2 (the "weighted" length of twitter-text). */
function weightedUnits(text: string): { offset: number; weight: number }[] {
  const units: { offset: number; weight: number }[] = [];
  const folded = foldCase(text);
  const urls = [...folded.matchAll(URL_PATTERN)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  let offset = 0;
  while (offset < text.length) {
    const url = urls.find((span) => span.start === offset);
    if (url) {
      units.push({ offset, weight: 23 });
      offset = url.end;
      continue;
    }
    const codePoint = text.codePointAt(offset) ?? 0;
    const size = codePoint > 0xffff ? 2 : 1;
    const light =
      codePoint <= 4351 ||
      (codePoint >= 8192 && codePoint <= 8205) ||
      (codePoint >= 8208 && codePoint <= 8223) ||
      (codePoint >= 8242 && codePoint <= 8247);
    units.push({ offset, weight: light ? 1 : 2 });
    offset += size;
  }
  return units;
}

/** The reply's length as the platform counts it. */
export function replyLength(text: string, platform: Platform): number {
  if (PLATFORM_LIMITS[platform].weighted)
    return weightedUnits(text).reduce((sum, unit) => sum + unit.weight, 0);
  return [...text].length;
}

function codePointUnits(text: string): { offset: number; weight: number }[] {
  const units: { offset: number; weight: number }[] = [];
  let offset = 0;
  for (const ch of text) {
    units.push({ offset, weight: 1 });
    offset += ch.length;
  }
  return units;
}

/** The offset of the first character past the platform's limit, or null when the reply fits. */
export function lengthOverflowStart(text: string, platform: Platform): number | null {
  const { maxChars, weighted } = PLATFORM_LIMITS[platform];
  let total = 0;
  const units = weighted ? weightedUnits(text) : codePointUnits(text);
  for (const unit of units) {
    total += unit.weight;
    if (total > maxChars) return unit.offset;
  }
  return null;
}
