// Shapes of text that make backtracking patterns retry from every character: long runs of one class, separators
// that open a match and never close it, and many short matches (for code that compares every hit with every other).
const fill = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

export function HOSTILE_TEXTS(size: number): Record<string, string> {
  return {
    "one long word": fill("a", size),
    "word@ repeated": fill("a@", size),
    "dotted run": fill("a.", size),
    "keyword then white space": `account${" ".repeat(size)}1234`,
    "keywords and spaces": fill("account   ", size),
    "ssn keyword and spaces": fill("ssn    ", size),
    "sentence end and spaces": fill(".    ", size),
    "digits and spaces": fill("1 ", size),
    "digits and hyphens": fill("1-", size),
    "many e-mails": fill("jo.x@ex.com ", size),
    "many phones": fill("555-123-4567 ", size),
    "open tags": fill("<a ", size),
    entities: fill("&#", size),
    "lawyer phrases": fill("my lawyer ", size),
    "mixed complaint": fill("Call 555 123 4567 re acct #A12345678, I dispute this debt!! ", size),
    "tabs and spaces": fill(" \t", size),
    "emoji and accents": fill("é🙂", size),
  };
}
