import { describe, expect, it } from "vitest";
import { assembleDigest, DIGEST_SECTIONS, escapeHtml, formatDuration, weekOverWeek } from "./assemble.js";
import { sampleDigestData } from "./sample-data.js";

describe("assembleDigest", () => {
  const digest = assembleDigest(sampleDigestData());

  it("writes a subject with brand, week, volume and change", () => {
    expect(digest.subject).toBe("Acme Recovery weekly digest, 2026-W47: 412 mentions, +16% vs last week");
    expect(assembleDigest(sampleDigestData({ partial: true })).subject).toContain("2026-W47 (so far)");
  });

  it("has every section in both parts", () => {
    for (const title of DIGEST_SECTIONS) {
      expect(digest.html).toContain(`>${title}</h2>`);
      expect(digest.text).toContain(title.toUpperCase());
    }
    expect(digest.text).toContain("Median time to first reply: 1.6 h (133 replies)");
    expect(digest.text).toContain("Within SLA (4 business hours): 82%");
    expect(digest.text).toContain("Open backlog: 27; overdue: 5");
    expect(digest.text).toContain("34% (41 of 120 answered customers");
    expect(digest.text).toContain("- Disputes: 9");
    expect(digest.text).toContain("- B1 confirmed a debt: 6");
    expect(digest.text).toContain('about "payment portal", "error"');
  });

  it("is e-mail HTML: tables, inline styles, CSS bars, no scripts, fluid 600px column", () => {
    expect(digest.html).toMatch(/^<!DOCTYPE html>/);
    expect(digest.html).not.toMatch(/<script/i);
    expect(digest.html).not.toMatch(/<style/i);
    expect(digest.html).not.toMatch(/class="(?!stat)/);
    expect(digest.html).toContain("max-width:600px;width:100%");
    expect(digest.html).toContain('name="viewport"');
    // Tuesday is the busiest day: its bar is full width; Sunday's is proportional.
    expect(digest.html).toContain('<td width="100%" style="background:#3f6fd8');
    expect(digest.html).toContain(`<td width="${Math.round((32 / 88) * 100)}%"`);
  });

  it("escapes and masks untrusted post text", () => {
    expect(digest.html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(digest.html).toContain("&lt;b&gt;STOP&lt;/b&gt;");
    expect(digest.html).toContain("Payment portal down again &amp; nobody");
    for (const part of [digest.html, digest.text]) {
      expect(part).not.toContain("jo.doe@example.com");
      expect(part).not.toContain("555-201-7788");
    }
    expect(digest.text).toContain("[EMAIL]");
  });

  it("drops links that are not http(s) and escapes brand names", () => {
    const hostile = assembleDigest(
      sampleDigestData({
        brand: 'Acme "<img src=x onerror=alert(1)>"',
        notable: [{ text: "hi", source: "X", url: "javascript:alert(1)" }],
        dashboardUrl: "javascript:alert(2)",
      }),
    );
    expect(hostile.html).not.toContain("javascript:");
    expect(hostile.html).not.toContain("<img");
    expect(hostile.html).toContain("Acme &quot;&lt;img src=x onerror=alert(1)&gt;&quot;");
  });

  it("says so plainly when a section is empty", () => {
    const quiet = assembleDigest(
      sampleDigestData({
        spikes: [],
        rightsEvents: [],
        complianceBlocks: [],
        notable: [],
        grievances: [],
        recovery: { answered: 0, recovered: 0 },
        response: {
          medianFirstReplyMinutes: null,
          withinSlaShare: null,
          slaLabel: "4 h",
          replied: 0,
          openBacklog: 0,
          overdue: 0,
        },
      }),
    );
    expect(quiet.text).toContain("No spikes this week.");
    expect(quiet.text).toContain("No reply was blocked.");
    expect(quiet.text).toContain("No customer was answered in public this week.");
    expect(quiet.text).toContain("Median time to first reply: no replies");
    expect(quiet.html).toContain("No complaints this week.");
  });
});

describe("helpers", () => {
  it("formats week-over-week change and durations", () => {
    expect(weekOverWeek(110, 100)).toBe("+10% vs last week");
    expect(weekOverWeek(90, 100)).toBe("−10% vs last week");
    expect(weekOverWeek(5, 0)).toBe("new this week");
    expect(weekOverWeek(0, 0)).toBe("no change");
    expect(formatDuration(42)).toBe("42 min");
    expect(formatDuration(94)).toBe("1.6 h");
    expect(formatDuration(3 * 1440)).toBe("3.0 days");
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
