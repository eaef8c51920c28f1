import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ACTION_NAMES, actionName, changeLines, describeAuditEntry } from "./audit-sentences.js";

const entry = (action: string, before: unknown = null, after: unknown = null, extra = {}) => ({
  actor: "dana@example.com",
  action,
  entityType: "mention",
  entityId: "12",
  before,
  after,
  ...extra,
});

describe("audit entries as sentences", () => {
  it("says who moved a mention between statuses, naming it on the audit page and 'it' on its own page", () => {
    const moved = entry("mention.status", { status: "new" }, { status: "awaiting_approval" });
    expect(describeAuditEntry(moved, { subject: "it", actorName: () => "Dana" })).toBe(
      "Dana moved it from new to awaiting approval.",
    );
    expect(describeAuditEntry(moved)).toBe(
      "dana@example.com moved mention 12 from new to awaiting approval.",
    );
  });

  it("names replies' steps, the checks' rules by their plain names, and a reject's reason", () => {
    const reply = { entityType: "reply", entityId: "7", actor: "sam@example.com" };
    expect(describeAuditEntry(entry("reply.approve", null, { text: "x" }, reply), { subject: "it" })).toBe(
      "sam@example.com approved the reply.",
    );
    expect(
      describeAuditEntry(
        entry("reply.draft", null, { mentionId: 12, origin: "template", ok: false, rules: ["B1"] }, reply),
      ),
    ).toMatch(/^sam@example.com drafted reply 7 to mention 12 from a template; the checks flagged B1 · \S/);
    expect(
      describeAuditEntry(
        entry("reply.reject", { status: "awaiting_approval" }, { reason: "Too long" }, reply),
      ),
    ).toBe("sam@example.com sent reply 7 back: “Too long”");
  });

  it("reads assignments and user changes with people's names, never raw ids or JSON", () => {
    const names = new Map([
      [3, "Sam"],
      [4, "Lee"],
    ]);
    const personName = (id: number) => names.get(id);
    expect(
      describeAuditEntry(entry("mention.assign", { assigneeId: null }, { assigneeId: 3 }), {
        personName,
        subject: "it",
      }),
    ).toBe("dana@example.com assigned it to Sam.");
    expect(
      describeAuditEntry(
        entry(
          "user.update",
          { role: "responder", disabled: false },
          { role: "manager", disabled: false },
          {
            entityType: "user",
            entityId: "4",
          },
        ),
        { personName },
      ),
    ).toBe("dana@example.com changed Lee's role from responder to manager.");
    const classification = describeAuditEntry(
      entry(
        "mention.classification",
        { category: "payment_service", severity: "high", flags: ["dispute"], relevant: true },
        { category: "communication_tactics", severity: "critical", flags: ["attorney"], relevant: true },
      ),
      { subject: "it" },
    );
    expect(classification).toBe(
      "dana@example.com corrected the classification: category payment service → communication tactics; severity high → critical; flagged attorney; removed the flag dispute.",
    );
  });

  it("shows the system as Rapport and internals (account-link views, outbox retries) as plain words", () => {
    expect(
      describeAuditEntry(entry("account_link.view", null, { links: [{ accountId: 1 }] }, { actor: null }), {
        subject: "it",
      }),
    ).toBe("Rapport looked at the accounts linked to it.");
    const retry = describeAuditEntry(
      entry(
        "outbox.retry",
        { status: "failed", lastError: "x" },
        { status: "pending" },
        {
          entityType: "outbox",
          entityId: "99",
        },
      ),
    );
    expect(retry).toBe("dana@example.com retried a failed alert delivery.");
    expect(retry).not.toContain("99");
  });

  it("every named action and an unknown one read without codes or braces", () => {
    for (const action of [...Object.keys(ACTION_NAMES), "source.pause_all"]) {
      const sentence = describeAuditEntry(
        entry(action, { status: "new" }, { status: "triaged", name: "A" }),
        {
          actorName: () => "Dana",
        },
      );
      expect(sentence, action).not.toMatch(/[{}[\]]|\w\.\w|_/);
      expect(actionName(action), action).not.toMatch(/[._]/);
    }
    expect(actionName("source.pause_all")).toBe("Source pause all");
  });
});

describe("notes", () => {
  it("quote the note, unless it was hidden from the viewer", () => {
    expect(describeAuditEntry(entry("mention.note", null, { body: "Called back" }), { subject: "it" })).toBe(
      "dana@example.com added a note: “Called back”",
    );
    expect(describeAuditEntry(entry("mention.note", null, { body: "[hidden]" }), { subject: "it" })).toBe(
      "dana@example.com added a note.",
    );
  });
});

describe("settings changes", () => {
  it("name the setting and its old and new value", () => {
    expect(
      describeAuditEntry(
        entry(
          "workspace.settings",
          { approvalsToSlack: false },
          { approvalsToSlack: true },
          {
            entityType: "workspace",
            entityId: "1",
          },
        ),
      ),
    ).toBe("dana@example.com changed the workspace settings: approvals to slack from no to yes.");
  });
});

describe("an entry's recorded values as lines", () => {
  it("lists what changed as field: from → to, in words, leaving out what stayed the same", () => {
    expect(
      changeLines(
        { status: "awaiting_approval", flags: ["cease_contact"], relevant: true },
        { status: "triaged", flags: [], relevant: true, assigneeId: 3, meta: { lastError: "timeout" } },
      ),
    ).toEqual([
      { field: "status", from: "awaiting approval", to: "triaged" },
      { field: "flags", from: "cease contact", to: "none" },
      { field: "assignee id", to: "3" },
      { field: "meta", to: "last error: timeout" },
    ]);
    expect(changeLines(null, null)).toEqual([]);
  });
});

describe("sources managed after adding (issue 15)", () => {
  const entry = (action: string, before: unknown, after: unknown) =>
    describeAuditEntry({
      action,
      entityType: "source",
      entityId: "7",
      actor: "dana@example.com",
      before,
      after,
      at: new Date("2026-12-06T08:00:00Z"),
    } as never);
  it("reads each change to a source as a sentence, never a credential", () => {
    expect(entry("source.edit", { name: "x-acme" }, { name: "x-summit", credentialsChanged: [] })).toContain(
      "changed the settings of the source “x-summit”, renamed from “x-acme”",
    );
    expect(
      entry(
        "source.rotate_credentials",
        { name: "x-acme" },
        { name: "x-acme", credentialsChanged: ["bearerToken"] },
      ),
    ).toContain("rotated the credentials of the source “x-acme” (new bearer token)");
    expect(entry("source.pause", { enabled: true }, { enabled: false, name: "x-acme" })).toContain(
      "paused the source “x-acme”",
    );
    expect(entry("source.remove", { name: "x-acme" }, { removed: true, mentionsKept: 3 })).toContain(
      "removed the source “x-acme” (its 3 mentions kept)",
    );
  });
});

/** Every `action: "area.verb"` (and reply transitions' `audit: "reply.verb"`) written anywhere under src/. */
function recordedActions(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...recordedActions(path));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.includes(".test.")) {
      const text = readFileSync(path, "utf8");
      for (const m of text.matchAll(/\b(?:action|audit):\s*"([a-z_]+\.[a-z_]+)"/g)) found.push(m[1]!);
    }
  }
  return found;
}

describe("every recorded action has a name", () => {
  it("so the audit page's filter and rows never show a code", () => {
    const actions = [...new Set(recordedActions(join(import.meta.dirname, "..")))].sort();
    expect(actions.length).toBeGreaterThan(30);
    expect(actions.filter((a) => !(a in ACTION_NAMES))).toEqual([]);
  });
});
