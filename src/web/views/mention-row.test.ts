import { describe, expect, it } from "vitest";
import type { MentionListItem } from "../../services/mentions/list-mentions.js";
import { highlight, matchRanges, mentionRow } from "./mention-row.js";

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

  it("puts source, author, time, due, category, severity, assignee and status first, in that order", () => {
    const html = render({ assignee: { id: 3, email: "dana@example.com" } });
    const meta = html.slice(html.indexOf('<div class="meta">'), html.indexOf("</div>"));
    const order = [
      'class="source"',
      'class="author"',
      "<time",
      'class="due',
      'class="cat"',
      'class="sev',
      'class="assignee"',
      'class="status',
      'class="brand-tag',
    ].map((needle) => meta.indexOf(needle));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(render()).toContain(`<span class="assignee unassigned">unassigned</span>`);
  });

  it("gives the text an id and a (hidden until needed) Show more button that controls it", () => {
    const html = render();
    expect(html).toContain(`<p class="text" id="text-42">They called me at work again</p>`);
    expect(html).toContain(
      `<button type="button" class="more link" aria-expanded="false" aria-controls="text-42" hidden>Show more</button>`,
    );
  });

  it("links the mention with its list, so the mention page can go on to the next one", () => {
    expect(render()).toContain(`<a class="open" href="/mentions/42">`);
    const html = String(mentionRow(item(), NOW, true, { from: "status=new&sort=oldest" }));
    expect(html).toContain(`<a class="open" href="/mentions/42?from=status%3Dnew%26sort%3Doldest">`);
  });
});

describe("search highlighting", () => {
  const marked = (text: string, terms: string[]) => String(highlight(text, terms));

  it("marks whole words that start with a search word, ignoring case", () => {
    expect(marked("Garnishment threat, GARNISH my wages? ungarnished", ["garnish"])).toBe(
      "<mark>Garnishment</mark> threat, <mark>GARNISH</mark> my wages? ungarnished",
    );
    expect(marked("called me at work", ["work", "called"])).toBe(
      "<mark>called</mark> me at <mark>work</mark>",
    );
    expect(marked("nothing here", ["lawsuit"])).toBe("nothing here");
  });

  it("escapes the text first: markup in a post or in the search never becomes markup", () => {
    expect(marked(`<b>lawsuit</b> & "lawsuit"`, ["lawsuit"])).toBe(
      "&lt;b&gt;<mark>lawsuit</mark>&lt;/b&gt; &amp; &quot;<mark>lawsuit</mark>&quot;",
    );
    // A search word is matched as text, never as a pattern.
    expect(marked("aXXb (x+)+$ a.*b", ["a.*b", "(x+)+$"])).toBe("aXXb <mark>(x+)+$</mark> <mark>a.*b</mark>");
    expect(marked("<script>", ["script"])).toBe("&lt;<mark>script</mark>&gt;");
    const row = String(
      mentionRow(item({ text: "<img src=x> lawsuit" }), NOW, true, { terms: ["img", "lawsuit"] }),
    );
    expect(row).toContain(`&lt;<mark>img</mark> src=x&gt; <mark>lawsuit</mark>`);
    expect(row).not.toContain("<img");
  });

  it("keeps positions right when lower-casing changes a character's length", () => {
    expect(marked("İstanbul debt", ["debt"])).toBe("İstanbul <mark>debt</mark>");
    expect(matchRanges("İİİ debt", ["debt"])).toEqual([[4, 8]]);
  });

  it("stays linear on a long hostile text", () => {
    const text = `${"a".repeat(200_000)} lawsuit`;
    const started = performance.now();
    expect(matchRanges(text, ["aaaa", "lawsuit"]).length).toBe(2);
    // Not a timing assertion of the code's speed, a guard against a quadratic blow-up (minutes, not ms).
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
