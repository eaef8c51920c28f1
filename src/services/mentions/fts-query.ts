// Turns whatever a person types into a safe FTS5 MATCH expression: every word becomes a quoted term (so
// FTS5 operators, column filters and stray quotes in the input are plain text), all terms must match, and
// the last word also matches as a prefix so results appear while typing.
const WORD = /[\p{L}\p{N}_]+/gu;
const MAX_TERMS = 12;

/** The words a search is made of; `toFtsQuery` quotes exactly these. */
export function searchTerms(input: string): string[] {
  return (input.normalize("NFKC").match(WORD) ?? []).slice(0, MAX_TERMS);
}

export function toFtsQuery(input: string): string | null {
  const words = searchTerms(input);
  if (words.length === 0) return null;
  return words
    .map((word, i) => {
      const quoted = `"${word}"`;
      return i === words.length - 1 && word.length >= 3 ? `${quoted}*` : quoted;
    })
    .join(" ");
}
