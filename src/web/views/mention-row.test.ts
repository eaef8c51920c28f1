import { describe, expect, it } from "vitest";
import type { MentionListItem } from "../../services/mentions/list-mentions.js";
import { mentionRow } from "./mention-row.js";

const NOW = new Date("2026-11-22T12:00:00Z");

function item(overrides: Partial<MentionListItem> = {}): MentionListItem {
  return {
    id: 42,
    source: { id: 1, name: "x-acme", type: "x" },
    brands: [{ id: 1, slug: "acme", name: "Acme", kind: "company" }],
    author: { handle: "poster", name: null },
    url: "https://x.com/poster/status/1",
    text: "They called me at work again",
    masked: false,
    createdAt: "2026-11-22T10:00:00.000Z",
    status: "new",
    assignee: null,
    category: "communication_tactics",
    relevant: true,
    severity: "high",
    flags: [],
    sentiment: -0.6,
    reach: 120,
    rating: null,
    slaDueAt: "2026-11-22T14:00:00.000Z",
    firstResponseAt: null,
    fetchedAt: "2026-11-22T10:01:00.000Z",
    groupId: 42,
    duplicates: 0,
    ...overrides,
  };
}

const render = (overrides: Partial<MentionListItem> = {}, selectable = true) =>
  String(mentionRow(item(overrides), NOW, selectable));

describe("mentionRow", () => {
  it("escapes everything that comes from outside: text, names, handles, brands, e-mail", () => {
    const html = render({
      text: `<script>alert(1)</script><img src=x onerror="alert('x')">`,
      author: { handle: `"><b>`, name: null },
      source: { id: 1, name: "<i>src</i>", type: "x" },
      brands: [{ id: 1, slug: "a", name: "A&B <Co>", kind: "company" }],
      assignee: { id: 3, email: `a"b@example.com` },
    });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html).not.toContain("<i>");
    expect(html).toContain(
      "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;",
    );
    expect(html).toContain("A&amp;B &lt;Co&gt;");
    expect(html).toContain("→ a&quot;b@example.com");
  });

  it("links only http(s) URLs", () => {
    expect(render({ url: "javascript:alert(1)" })).not.toContain("javascript:");
    expect(render({ url: "https://x.com/a?b=1&c=2" })).toContain(
      `<a class="external" href="https://x.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow" target="_blank">View on x</a>`,
    );
  });

  it("marks overdue open mentions, but not closed ones", () => {
    const late = { slaDueAt: "2026-11-22T11:00:00.000Z" };
    expect(render(late)).toContain(`class="mention overdue sev-high"`);
    expect(render(late)).toContain(`<span class="overdue-tag">overdue</span>`);
    expect(render({ ...late, status: "resolved" })).not.toContain("overdue");
    expect(render()).not.toContain("overdue");
  });

  it("shows the clock on every open row: a countdown, an overdue age, or late on arrival, with the due time", () => {
    expect(render()).toContain(
      `<span class="due due-due">due in 2 h · <time datetime="2026-11-22T14:00:00.000Z" data-local="due">2026-11-22 14:00 UTC</time></span>`,
    );
    expect(render({ slaDueAt: "2026-11-22T10:30:00.000Z" })).toContain(
      `<span class="due due-overdue">overdue 1 h 30 min`,
    );
    // Posted two days ago, found by a backfill this morning already past due: marked once, not the team's miss.
    const backfilled = render({
      createdAt: "2026-11-20T09:00:00.000Z",
      slaDueAt: "2026-11-20T13:00:00.000Z",
      fetchedAt: "2026-11-22T08:00:00.000Z",
    });
    expect(backfilled).toContain(`class="mention arrived-overdue sev-high"`);
    expect(backfilled).toContain(`<span class="due due-arrived_overdue">arrived overdue (1 d 23 h past due)`);
    expect(backfilled).not.toContain("overdue-tag");
    expect(render({ status: "posted", firstResponseAt: "2026-11-22T11:00:00.000Z" })).not.toContain(
      `class="due`,
    );
    expect(render({ slaDueAt: null })).not.toContain(`class="due`);
  });

  it("flags a mention that needs a person, with the reason on the row and the badge", () => {
    const html = render({ flags: ["attorney"] });
    expect(html).toMatch(/<li [^>]*data-human-only="[^"]+"/);
    expect(html).toContain(`<span class="flag">attorney</span>`);
    expect(html).toMatch(/<span class="human-only" title="[^"]+">needs a person<\/span>/);
    expect(render()).not.toContain("human-only");
  });

  it("offers the bulk checkbox only to those who can triage", () => {
    expect(render({}, true)).toContain(`<input type="checkbox" name="ids" value="42" form="bulk"`);
    expect(render({}, false)).not.toContain("checkbox");
  });

  it("counts near-duplicates and falls back to the author's name", () => {
    const html = render({ duplicates: 3, author: { handle: null, name: "Jo" } });
    expect(html).toContain(`<span class="dups">+3 near-duplicates</span>`);
    expect(html).toContain(`<span class="author">Jo</span>`);
    expect(render({ author: { handle: null, name: null } })).toContain(`<span class="author">unknown</span>`);
  });
});
