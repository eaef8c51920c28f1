// The reply text with each linter hit marked in place (rule code and plain explanation on the mark), the same
// rendering the live editor script produces in the browser (src/web/static/reply-editor-js.ts).
import type { Violation } from "../../../domain/compliance/lint.js";
import { RULES } from "../../../domain/compliance/rules.js";

export interface Segment {
  text: string;
  rules: string[];
}

/** Splits the text at every hit boundary; a piece covered by several hits carries all their rules. */
export function segmentsFor(text: string, violations: readonly Violation[]): Segment[] {
  const cuts = new Set<number>([0, text.length]);
  for (const v of violations) {
    if (v.end > v.start) {
      cuts.add(Math.max(0, Math.min(text.length, v.start)));
      cuts.add(Math.max(0, Math.min(text.length, v.end)));
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    const rules = violations
      .filter((v) => v.end > v.start && v.start <= start && v.end >= end)
      .map((v) => v.rule);
    segments.push({ text: text.slice(start, end), rules: [...new Set(rules)] });
  }
  return segments;
}

export function HighlightedText({ text, violations }: { text: string; violations: readonly Violation[] }) {
  const missing = violations.filter((v) => v.end <= v.start);
  return (
    <div class="reply-highlight" data-testid="reply-highlight">
      {segmentsFor(text, violations).map((s) =>
        s.rules.length > 0 ? (
          <mark
            class="lint-hit"
            data-rules={s.rules.join(" ")}
            title={s.rules.map((r) => `${r}: ${RULES[r as keyof typeof RULES]?.title ?? r}`).join("; ")}
          >
            {s.text}
          </mark>
        ) : (
          s.text
        ),
      )}
      {missing.map((v) => (
        <mark class="lint-missing" data-rules={v.rule} title={`${v.rule}: ${v.message}`}>
          {" ⟂ "}
        </mark>
      ))}
    </div>
  );
}

export function ViolationList({ violations }: { violations: readonly Violation[] }) {
  if (violations.length === 0) {
    return (
      <p class="lint-ok" data-testid="lint-ok">
        No compliance problems found.
      </p>
    );
  }
  return (
    <ul class="violations" data-testid="violations">
      {violations.map((v) => (
        <li data-rule={v.rule}>
          <b>{v.rule}</b> {RULES[v.rule]?.title ?? ""}: {v.message}
          <div class="muted">{v.explanation}</div>
        </li>
      ))}
    </ul>
  );
}
