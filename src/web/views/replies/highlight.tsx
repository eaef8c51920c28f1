// The reply text with each linter hit marked in place (rule code and plain name on the mark), the same rendering
// the live editor script produces in the browser (src/web/static/reply-editor-js.ts). Blocking hits (B1–B12) and
// house-style warnings (R_*) are listed apart: only the first stop a reply.
import { isBlocking, type Violation } from "../../../domain/compliance/lint.js";
import { RULES, ruleLabel } from "../../../domain/compliance/rules.js";

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

/** A stored lint result, old or new: runs before issue 19 kept warnings among the violations. */
export function splitHits(lint: unknown): { violations: Violation[]; warnings: Violation[] } {
  const stored = (lint ?? {}) as { violations?: Violation[]; warnings?: Violation[] };
  const all = [...(stored.violations ?? []), ...(stored.warnings ?? [])];
  return {
    violations: all.filter((v) => isBlocking(v.rule)),
    warnings: all.filter((v) => !isBlocking(v.rule)),
  };
}

export function HighlightedText({ text, violations }: { text: string; violations: readonly Violation[] }) {
  const missing = violations.filter((v) => v.end <= v.start);
  return (
    <div class="reply-highlight" data-testid="reply-highlight">
      {segmentsFor(text, violations).map((s) =>
        s.rules.length > 0 ? (
          <mark
            class={
              s.rules.some((r) => isBlocking(r as Violation["rule"])) ? "lint-hit" : "lint-hit lint-warn"
            }
            data-rules={s.rules.join(" ")}
            title={s.rules.map(ruleLabel).join("; ")}
          >
            {s.text}
          </mark>
        ) : (
          s.text
        ),
      )}
      {missing.map((v) => (
        <mark
          class={isBlocking(v.rule) ? "lint-missing" : "lint-missing lint-warn"}
          data-rules={v.rule}
          title={`${ruleLabel(v.rule)}: ${v.message}`}
        >
          {" ⟂ "}
        </mark>
      ))}
    </div>
  );
}

function HitItem({ v }: { v: Violation }) {
  return (
    <li data-rule={v.rule}>
      <b>{v.rule}</b> <span class="rule-name">{RULES[v.rule]?.title ?? ""}</span>: {v.message}
      <div class="muted">{v.explanation}</div>
    </li>
  );
}

export function ViolationList({
  violations,
  warnings = [],
}: {
  violations: readonly Violation[];
  warnings?: readonly Violation[];
}) {
  if (violations.length === 0 && warnings.length === 0) {
    return (
      <p class="lint-ok" data-testid="lint-ok">
        No compliance problems found.
      </p>
    );
  }
  return (
    <>
      {violations.length > 0 ? (
        <ul class="violations" data-testid="violations">
          {violations.map((v) => (
            <HitItem v={v} />
          ))}
        </ul>
      ) : (
        <p class="lint-ok" data-testid="lint-no-blocking">
          No blocking problems.
        </p>
      )}
      {warnings.length > 0 ? (
        <div class="lint-warnings">
          <p class="muted">House style, not law: an approver may accept these with a written reason.</p>
          <ul class="warnings" data-testid="warnings">
            {warnings.map((v) => (
              <HitItem v={v} />
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}
